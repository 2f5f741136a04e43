/* test-api-coaching.c — live coaching over HTTP against a real signald:
 * session types (CRUD, validation, who may), availability (time zones,
 * windows, buffers), blocked ranges, the experts of a group, free slots
 * (availability, DST-correct zone, blocked ranges, bookings in any group,
 * buffers, the minimum notice), bookings (re-check, list, cancel with the
 * cancellation notice, reschedule), the permission matrix (students,
 * outsiders, other organizations: 404), the database's no-overlap rule on
 * its own, and the concurrency guarantee: many clients racing for
 * overlapping slots of one expert get exactly one 201.  Runs on SQLite
 * and PostgreSQL (signald with two workers, so requests run in parallel). */
#include "th-server.h"
#include "store/sd-db.h"

#ifdef HAVE_POSTGRES
#include "th-pg.h"
#endif

#include <string.h>

static ThServer *ts;

/* ---- helpers ---- */

typedef struct {
  char *admin, *admin_id;
  char *expert, *expert_id;
  char *expert2, *expert2_id;
  char *student, *student_id;
  char *student2, *student2_id;
  char *outsider;        /* a student of the organization outside the group */
  char *group;
} Club;

static void
club_free (Club *c)
{
  g_free (c->admin); g_free (c->admin_id);
  g_free (c->expert); g_free (c->expert_id);
  g_free (c->expert2); g_free (c->expert2_id);
  g_free (c->student); g_free (c->student_id);
  g_free (c->student2); g_free (c->student2_id);
  g_free (c->outsider); g_free (c->group);
  g_free (c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Club, club_free)

/* An organization with an admin, two experts and two students in one
 * group (owned by the first expert), and a student outside it. */
static Club *
club_new (ThServer   *server,
          const char *tag)
{
  Club *c = g_new0 (Club, 1);
  g_autofree char *admin_email = g_strdup_printf ("%s-admin@example.org", tag);
  g_autofree char *org = g_strdup_printf ("%s club", tag);
  c->admin = th_register_admin (server, admin_email, org, &c->admin_id);
  const char *roles[] = { "expert", "expert", "student", "student", "student" };
  const char *names[] = { "coach", "coach2", "student", "student2", "outsider" };
  char **tokens[] = { &c->expert, &c->expert2, &c->student, &c->student2, &c->outsider };
  char **ids[] = { &c->expert_id, &c->expert2_id, &c->student_id, &c->student2_id, NULL };
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *email = g_strdup_printf ("%s-%s@example.org", tag, names[i]);
      *tokens[i] = th_add_user (server, c->admin, email, roles[i], ids[i]);
    }
  g_autoptr(ThResponse) g = th_requestf (server, "POST", "/groups", c->expert, "{\"name\":\"%s coaching\"}", tag);
  g_assert_cmpuint (g->status, ==, 201);
  c->group = g_strdup (th_json_str (g, "id"));
  for (guint i = 1; i < 4; i++)
    {
      g_autofree char *email = g_strdup_printf ("%s-%s@example.org", tag, names[i]);
      th_join_group (server, c->expert, c->group, email, *tokens[i]);
    }
  return c;
}

static char *
path (const Club *c,
      const char *rest)
{
  return g_strdup_printf ("/groups/%s/coaching/%s", c->group, rest);
}

static guint
status_of (const char *method,
           const char *p,
           const char *token,
           const char *body)
{
  g_autoptr(ThResponse) r = th_request (ts, method, p, token, body);
  return r->status;
}

static void
assert_error (ThResponse *r,
              guint       status,
              const char *code)
{
  if (r->status != status)
    g_error ("expected %u %s, got %u: %.*s", status, code, r->status,
             (int) g_bytes_get_size (r->body), (const char *) g_bytes_get_data (r->body, NULL));
  g_assert_cmpstr (th_json_str (r, "error.code"), ==, code);
}

static void
assert_status (ThResponse *r,
               guint       status)
{
  if (r->status != status)
    g_error ("expected %u, got %u: %.*s", status, r->status,
             (int) g_bytes_get_size (r->body), (const char *) g_bytes_get_data (r->body, NULL));
}

static char *
iso (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static gint64
parse_iso (const char *text)
{
  g_assert_nonnull (text);
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Local midnight in @zone of the first @weekday (1 = Monday … 7 = Sunday,
 * as GLib counts) at least @days_ahead days from now. */
static GDateTime *
next_weekday (const char *zone,
              int         weekday,
              int         days_ahead)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_assert_nonnull (tz);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) ahead = g_date_time_add_days (now, days_ahead);
  int add = (weekday - g_date_time_get_day_of_week (ahead) + 7) % 7;
  g_autoptr(GDateTime) day = g_date_time_add_days (ahead, add);
  return g_date_time_new (tz, g_date_time_get_year (day), g_date_time_get_month (day),
                          g_date_time_get_day_of_month (day), 0, 0, 0);
}

/* @day (local midnight) at @hour:@minute local, as unix seconds. */
static gint64
at (GDateTime *day,
    int        hour,
    int        minute)
{
  g_autoptr(GDateTime) t = g_date_time_new (g_date_time_get_timezone (day), g_date_time_get_year (day),
                                            g_date_time_get_month (day), g_date_time_get_day_of_month (day),
                                            hour, minute, 0);
  return g_date_time_to_unix (t);
}

static char *
create_type (const Club *c,
             const char *token,
             int         minutes)
{
  g_autofree char *p = path (c, "session-types");
  g_autoptr(ThResponse) r = th_requestf (ts, "POST", p, token,
                                         "{\"name\":\"Session %d\",\"duration_minutes\":%d}", minutes, minutes);
  assert_status (r, 201);
  return g_strdup (th_json_str (r, "id"));
}

static void
set_availability (const Club *c,
                  const char *token,
                  const char *body)
{
  g_autofree char *p = path (c, "availability");
  g_autoptr(ThResponse) r = th_request (ts, "PUT", p, token, body);
  assert_status (r, 200);
}

/* Every day, all day, in UTC. */
#define ALWAYS "{\"time_zone\":\"UTC\",\"windows\":[" \
  "{\"day_of_week\":0,\"start\":\"00:00\",\"end\":\"24:00\"},{\"day_of_week\":1,\"start\":\"00:00\",\"end\":\"24:00\"}," \
  "{\"day_of_week\":2,\"start\":\"00:00\",\"end\":\"24:00\"},{\"day_of_week\":3,\"start\":\"00:00\",\"end\":\"24:00\"}," \
  "{\"day_of_week\":4,\"start\":\"00:00\",\"end\":\"24:00\"},{\"day_of_week\":5,\"start\":\"00:00\",\"end\":\"24:00\"}," \
  "{\"day_of_week\":6,\"start\":\"00:00\",\"end\":\"24:00\"}]"

/* The slots of @expert_id for @type_id in [@from, @to) as unix starts, not
 * counting @exclude (a booking id, or NULL) as busy. */
static GArray *
slots (const Club *c,
       const char *token,
       const char *expert_id,
       const char *type_id,
       gint64      from,
       gint64      to,
       const char *exclude)
{
  g_autofree char *f = iso (from), *t = iso (to);
  g_autofree char *p = g_strdup_printf ("/groups/%s/coaching/experts/%s/slots?from=%s&to=%s&session_type_id=%s%s%s",
                                        c->group, expert_id, f, t, type_id,
                                        exclude != NULL ? "&exclude_booking_id=" : "", exclude != NULL ? exclude : "");
  g_autoptr(ThResponse) r = th_request (ts, "GET", p, token, NULL);
  assert_status (r, 200);
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < th_json_len (r, "items"); i++)
    {
      g_autofree char *sp = g_strdup_printf ("items.%u.start", i);
      g_autofree char *ep = g_strdup_printf ("items.%u.end", i);
      gint64 s = parse_iso (th_json_str (r, sp));
      g_assert_cmpint (parse_iso (th_json_str (r, ep)) - s, ==, th_json_int (r, "duration_minutes") * 60);
      g_array_append_val (starts, s);
    }
  return starts;
}

static gboolean
has_start (GArray *starts,
           gint64  t)
{
  for (guint i = 0; i < starts->len; i++)
    if (g_array_index (starts, gint64, i) == t)
      return TRUE;
  return FALSE;
}

static ThResponse *
book (const Club *c,
      const char *token,
      const char *type_id,
      gint64      start)
{
  g_autofree char *p = path (c, "bookings");
  g_autofree char *s = iso (start);
  return th_requestf (ts, "POST", p, token, "{\"session_type_id\":\"%s\",\"start\":\"%s\"}", type_id, s);
}

static char *
book_ok (const Club *c,
         const char *token,
         const char *type_id,
         gint64      start)
{
  g_autoptr(ThResponse) r = book (c, token, type_id, start);
  assert_status (r, 201);
  return g_strdup (th_json_str (r, "id"));
}

/* ---- session types ---- */

static void
test_session_types (void)
{
  g_autoptr(Club) c = club_new (ts, "types");
  g_autoptr(Club) other = club_new (ts, "types-other");
  g_autofree char *p = path (c, "session-types");

  g_autoptr(ThResponse) made = th_request (ts, "POST", p, c->expert,
      "{\"name\":\"  Swing analysis \",\"description\":\"Bring a video.\\nAnd clubs.\",\"duration_minutes\":45}");
  assert_status (made, 201);
  g_assert_cmpstr (th_json_str (made, "name"), ==, "Swing analysis");
  g_assert_cmpstr (th_json_str (made, "description"), ==, "Bring a video.\nAnd clubs.");
  g_assert_cmpint (th_json_int (made, "duration_minutes"), ==, 45);
  g_assert_cmpstr (th_json_str (made, "expert_id"), ==, c->expert_id);
  g_assert_cmpstr (th_json_str (made, "group_id"), ==, c->group);
  g_assert_true (json_node_get_boolean (th_json_at (made, "active")));
  g_autofree char *type_path = g_strdup_printf ("%s/%s", p, th_json_str (made, "id"));

  /* Validation. */
  const char *bad[] = {
    "{\"name\":\"Short\",\"duration_minutes\":10}",
    "{\"name\":\"Long\",\"duration_minutes\":121}",
    "{\"name\":\"   \",\"duration_minutes\":30}",
    "{\"name\":\"Two\\nlines\",\"duration_minutes\":30}",
    "{\"name\":\"No length\"}",
    "{\"name\":\"Text\",\"duration_minutes\":\"30\"}",
    "{\"name\":\"Bell\",\"description\":\"a\\u0007b\",\"duration_minutes\":30}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(ThResponse) r = th_request (ts, "POST", p, c->expert, bad[i]);
      assert_error (r, 422, "validation_failed");
    }

  /* Who may create: students not; admins for an expert of the group, or
   * for themselves only as members; nobody for a student; outsiders 404. */
  g_autoptr(ThResponse) by_student = th_request (ts, "POST", p, c->student,
                                                 "{\"name\":\"Mine\",\"duration_minutes\":30}");
  assert_error (by_student, 403, "forbidden");
  g_autoptr(ThResponse) admin_self = th_request (ts, "POST", p, c->admin,
                                                 "{\"name\":\"Admin's\",\"duration_minutes\":30}");
  assert_error (admin_self, 403, "forbidden");
  g_autoptr(ThResponse) for_expert = th_requestf (ts, "POST", p, c->admin,
      "{\"name\":\"Putting\",\"duration_minutes\":30,\"expert_id\":\"%s\"}", c->expert2_id);
  assert_status (for_expert, 201);
  g_assert_cmpstr (th_json_str (for_expert, "expert_id"), ==, c->expert2_id);
  g_autoptr(ThResponse) for_student = th_requestf (ts, "POST", p, c->admin,
      "{\"name\":\"No\",\"duration_minutes\":30,\"expert_id\":\"%s\"}", c->student_id);
  assert_error (for_student, 404, "not_found");
  g_autoptr(ThResponse) expert_for_other = th_requestf (ts, "POST", p, c->expert,
      "{\"name\":\"No\",\"duration_minutes\":30,\"expert_id\":\"%s\"}", c->expert2_id);
  assert_error (expert_for_other, 403, "forbidden");
  g_assert_cmpuint (status_of ("POST", p, c->outsider, "{\"name\":\"X\",\"duration_minutes\":30}"), ==, 404);
  g_assert_cmpuint (status_of ("POST", p, other->admin, "{\"name\":\"X\",\"duration_minutes\":30}"), ==, 404);
  g_assert_cmpuint (status_of ("POST", p, other->expert, "{\"name\":\"X\",\"duration_minutes\":30}"), ==, 404);
  g_assert_cmpuint (status_of ("POST", p, NULL, "{\"name\":\"X\",\"duration_minutes\":30}"), ==, 401);

  /* A third, made inactive by its expert. */
  g_autoptr(ThResponse) third = th_request (ts, "POST", p, c->expert,
                                            "{\"name\":\"Old\",\"duration_minutes\":120,\"active\":false}");
  assert_status (third, 201);
  g_assert_false (json_node_get_boolean (th_json_at (third, "active")));
  g_autofree char *third_path = g_strdup_printf ("%s/%s", p, th_json_str (third, "id"));

  /* Lists: students see what they can book; experts can see all. */
  g_autoptr(ThResponse) student_list = th_request (ts, "GET", p, c->student, NULL);
  assert_status (student_list, 200);
  g_assert_cmpuint (th_json_len (student_list, "items"), ==, 2);
  g_autofree char *all_q = g_strdup_printf ("%s?include_inactive=true", p);
  g_autoptr(ThResponse) student_all = th_request (ts, "GET", all_q, c->student, NULL);
  g_assert_cmpuint (th_json_len (student_all, "items"), ==, 2);
  g_autoptr(ThResponse) expert_all = th_request (ts, "GET", all_q, c->expert, NULL);
  g_assert_cmpuint (th_json_len (expert_all, "items"), ==, 3);
  g_autofree char *by_expert = g_strdup_printf ("%s?expert_id=%s", p, c->expert2_id);
  g_autoptr(ThResponse) filtered = th_request (ts, "GET", by_expert, c->student, NULL);
  g_assert_cmpuint (th_json_len (filtered, "items"), ==, 1);
  g_assert_cmpstr (th_json_str (filtered, "items.0.name"), ==, "Putting");
  g_autofree char *page1_q = g_strdup_printf ("%s?limit=1", p);
  g_autoptr(ThResponse) page1 = th_request (ts, "GET", page1_q, c->student, NULL);
  g_assert_cmpuint (th_json_len (page1, "items"), ==, 1);
  g_assert_cmpstr (th_json_str (page1, "items.0.name"), ==, "Swing analysis");
  g_autofree char *page2_q = g_strdup_printf ("%s?limit=1&cursor=%s", p, th_json_str (page1, "next_cursor"));
  g_autoptr(ThResponse) page2 = th_request (ts, "GET", page2_q, c->student, NULL);
  g_assert_cmpuint (th_json_len (page2, "items"), ==, 1);
  g_assert_cmpstr (th_json_str (page2, "items.0.name"), ==, "Putting");
  g_assert_null (th_json_str (page2, "next_cursor"));
  g_assert_cmpuint (status_of ("GET", p, c->outsider, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", p, other->admin, NULL), ==, 404);

  /* Show: the inactive one is hidden from students. */
  g_assert_cmpuint (status_of ("GET", type_path, c->student, NULL), ==, 200);
  g_assert_cmpuint (status_of ("GET", third_path, c->student, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", third_path, c->expert, NULL), ==, 200);
  g_assert_cmpuint (status_of ("GET", type_path, other->admin, NULL), ==, 404);

  /* Change: its expert and admins; not students or other experts. */
  g_assert_cmpuint (status_of ("PATCH", type_path, c->student, "{\"name\":\"Mine\"}"), ==, 403);
  g_assert_cmpuint (status_of ("PATCH", type_path, c->expert2, "{\"name\":\"Mine\"}"), ==, 403);
  g_assert_cmpuint (status_of ("PATCH", type_path, c->expert, "{\"duration_minutes\":5}"), ==, 422);
  g_autoptr(ThResponse) changed = th_request (ts, "PATCH", type_path, c->expert,
                                              "{\"duration_minutes\":60,\"description\":null}");
  assert_status (changed, 200);
  g_assert_cmpint (th_json_int (changed, "duration_minutes"), ==, 60);
  g_assert_cmpstr (th_json_str (changed, "name"), ==, "Swing analysis");
  g_assert_cmpstr (th_json_str (changed, "description"), ==, "");
  g_autoptr(ThResponse) by_admin = th_request (ts, "PATCH", type_path, c->admin, "{\"active\":false}");
  assert_status (by_admin, 200);
  g_assert_false (json_node_get_boolean (th_json_at (by_admin, "active")));
  g_assert_cmpuint (status_of ("GET", type_path, c->student, NULL), ==, 404);
  g_assert_cmpuint (status_of ("PATCH", type_path, c->expert, "{\"active\":true}"), ==, 200);
  g_assert_cmpuint (status_of ("PATCH", type_path, other->admin, "{\"active\":false}"), ==, 404);

  /* Delete: never booked, so gone. */
  g_assert_cmpuint (status_of ("DELETE", third_path, c->expert2, NULL), ==, 403);
  g_assert_cmpuint (status_of ("DELETE", third_path, c->expert, NULL), ==, 204);
  g_assert_cmpuint (status_of ("GET", third_path, c->expert, NULL), ==, 404);
  g_assert_cmpuint (status_of ("DELETE", third_path, c->expert, NULL), ==, 404);
}

/* ---- availability, experts, blocked ---- */

static void
test_availability (void)
{
  g_autoptr(Club) c = club_new (ts, "avail");
  g_autoptr(Club) other = club_new (ts, "avail-other");
  g_autofree char *p = path (c, "availability");

  /* Before the first PUT: the expert's own zone, no windows. */
  g_autoptr(ThResponse) empty = th_request (ts, "GET", p, c->expert, NULL);
  assert_status (empty, 200);
  g_assert_false (json_node_get_boolean (th_json_at (empty, "configured")));
  g_assert_cmpstr (th_json_str (empty, "time_zone"), ==, "UTC");
  g_assert_cmpuint (th_json_len (empty, "windows"), ==, 0);

  g_autoptr(ThResponse) set = th_request (ts, "PUT", p, c->expert,
      "{\"time_zone\":\"Europe/Berlin\",\"buffer_before_minutes\":5,\"buffer_after_minutes\":15,"
      "\"windows\":[{\"day_of_week\":3,\"start\":\"14:00\",\"end\":\"18:30\"},"
      "{\"day_of_week\":1,\"start\":\"09:00\",\"end\":\"12:00\"},"
      "{\"day_of_week\":1,\"start\":\"22:00\",\"end\":\"02:00\"}]}");
  assert_status (set, 200);
  g_assert_true (json_node_get_boolean (th_json_at (set, "configured")));
  g_assert_cmpstr (th_json_str (set, "time_zone"), ==, "Europe/Berlin");
  g_assert_cmpint (th_json_int (set, "buffer_before_minutes"), ==, 5);
  g_assert_cmpint (th_json_int (set, "buffer_after_minutes"), ==, 15);
  g_assert_cmpuint (th_json_len (set, "windows"), ==, 3);
  g_assert_cmpint (th_json_int (set, "windows.0.day_of_week"), ==, 1);
  g_assert_cmpstr (th_json_str (set, "windows.0.start"), ==, "09:00");
  g_assert_cmpstr (th_json_str (set, "windows.1.start"), ==, "22:00");
  g_assert_cmpstr (th_json_str (set, "windows.1.end"), ==, "02:00");
  g_assert_cmpstr (th_json_str (set, "windows.2.end"), ==, "18:30");
  g_assert_nonnull (th_json_str (set, "updated_at"));

  /* Members read any expert's; the other expert's is still empty. */
  g_autofree char *of_expert = g_strdup_printf ("/groups/%s/coaching/experts/%s/availability", c->group, c->expert_id);
  g_autoptr(ThResponse) seen = th_request (ts, "GET", of_expert, c->student, NULL);
  assert_status (seen, 200);
  g_assert_cmpuint (th_json_len (seen, "windows"), ==, 3);
  g_autofree char *of_student = g_strdup_printf ("/groups/%s/coaching/experts/%s/availability", c->group, c->student_id);
  g_assert_cmpuint (status_of ("GET", of_student, c->student, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", of_expert, c->outsider, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", of_expert, other->admin, NULL), ==, 404);

  /* PUT replaces the week. */
  g_autoptr(ThResponse) again = th_request (ts, "PUT", p, c->expert,
      "{\"time_zone\":\"America/New_York\",\"windows\":[{\"day_of_week\":0,\"start\":\"9:30\",\"end\":\"10:00\"}]}");
  assert_status (again, 200);
  g_assert_cmpuint (th_json_len (again, "windows"), ==, 1);
  g_assert_cmpstr (th_json_str (again, "windows.0.start"), ==, "09:30");
  g_assert_cmpint (th_json_int (again, "buffer_after_minutes"), ==, 0);
  g_assert_cmpstr (th_json_str (again, "time_zone"), ==, "America/New_York");

  /* Validation: unknown zone 400; windows and buffers 422. */
  g_autoptr(ThResponse) zone = th_request (ts, "PUT", p, c->expert, "{\"time_zone\":\"Mars/Olympus\",\"windows\":[]}");
  assert_error (zone, 400, "invalid_request");
  g_assert_cmpuint (status_of ("PUT", p, c->expert, "{\"time_zone\":\"../etc/passwd\",\"windows\":[]}"), ==, 400);
  const char *bad[] = {
    "{\"time_zone\":\"UTC\",\"windows\":[{\"day_of_week\":7,\"start\":\"09:00\",\"end\":\"10:00\"}]}",
    "{\"time_zone\":\"UTC\",\"windows\":[{\"day_of_week\":-1,\"start\":\"09:00\",\"end\":\"10:00\"}]}",
    "{\"time_zone\":\"UTC\",\"windows\":[{\"day_of_week\":1,\"start\":\"25:00\",\"end\":\"10:00\"}]}",
    "{\"time_zone\":\"UTC\",\"windows\":[{\"day_of_week\":1,\"start\":\"09:60\",\"end\":\"10:00\"}]}",
    "{\"time_zone\":\"UTC\",\"windows\":[{\"day_of_week\":1,\"start\":\"24:00\",\"end\":\"10:00\"}]}",
    "{\"time_zone\":\"UTC\",\"windows\":[{\"day_of_week\":1,\"start\":\"09:00\",\"end\":\"09:00\"}]}",
    "{\"time_zone\":\"UTC\",\"windows\":[{\"day_of_week\":1,\"start\":\"09:00\"}]}",
    "{\"time_zone\":\"UTC\",\"windows\":[{\"day_of_week\":1,\"start\":\"nine\",\"end\":\"10:00\"}]}",
    "{\"time_zone\":\"UTC\",\"windows\":[3]}",
    "{\"time_zone\":\"UTC\",\"windows\":[],\"buffer_before_minutes\":241}",
    "{\"time_zone\":\"UTC\",\"windows\":[],\"buffer_after_minutes\":-5}",
    "{\"time_zone\":\"UTC\"}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(ThResponse) r = th_request (ts, "PUT", p, c->expert, bad[i]);
      if (r->status != 422)
        g_error ("%s: %u", bad[i], r->status);
    }
  g_autoptr(ThResponse) named = th_request (ts, "PUT", p, c->expert,
      "{\"time_zone\":\"UTC\",\"windows\":[{\"day_of_week\":1,\"start\":\"09:00\",\"end\":\"10:00\"},"
      "{\"day_of_week\":8,\"start\":\"09:00\",\"end\":\"10:00\"}]}");
  g_assert_nonnull (strstr (th_json_str (named, "error.message"), "windows[1]"));
  /* Nothing of the refused PUTs stuck. */
  g_autoptr(ThResponse) kept = th_request (ts, "GET", p, c->expert, NULL);
  g_assert_cmpstr (th_json_str (kept, "time_zone"), ==, "America/New_York");
  g_assert_cmpuint (th_json_len (kept, "windows"), ==, 1);

  /* Who: students 403, outsiders and other organizations 404; admins for
   * an expert of the group. */
  const char *week = "{\"time_zone\":\"UTC\",\"windows\":[{\"day_of_week\":1,\"start\":\"09:00\",\"end\":\"10:00\"}]}";
  g_assert_cmpuint (status_of ("PUT", p, c->student, week), ==, 403);
  g_assert_cmpuint (status_of ("GET", p, c->student, NULL), ==, 403);
  g_assert_cmpuint (status_of ("PUT", p, c->outsider, week), ==, 404);
  g_assert_cmpuint (status_of ("PUT", p, other->expert, week), ==, 404);
  g_assert_cmpuint (status_of ("PUT", p, other->admin, week), ==, 404);
  g_autoptr(ThResponse) for_expert2 = th_requestf (ts, "PUT", p, c->admin,
      "{\"time_zone\":\"Asia/Tokyo\",\"windows\":[],\"expert_id\":\"%s\"}", c->expert2_id);
  assert_status (for_expert2, 200);
  g_assert_cmpstr (th_json_str (for_expert2, "expert_id"), ==, c->expert2_id);
  g_autofree char *admin_get = g_strdup_printf ("%s?expert_id=%s", p, c->expert2_id);
  g_autoptr(ThResponse) admin_read = th_request (ts, "GET", admin_get, c->admin, NULL);
  g_assert_cmpstr (th_json_str (admin_read, "time_zone"), ==, "Asia/Tokyo");
  g_assert_cmpuint (status_of ("GET", admin_get, c->expert, NULL), ==, 403);

  /* The experts of the group. */
  g_autofree char *experts = path (c, "experts");
  g_autofree char *type = create_type (c, c->expert, 30);
  g_autoptr(ThResponse) list = th_request (ts, "GET", experts, c->student, NULL);
  assert_status (list, 200);
  g_assert_cmpuint (th_json_len (list, "items"), ==, 2);
  /* They joined in the same second: find each by id. */
  guint e1 = g_strcmp0 (th_json_str (list, "items.0.id"), c->expert_id) == 0 ? 0 : 1;
  g_autofree char *e1_id = g_strdup_printf ("items.%u.id", e1);
  g_autofree char *e1_tz = g_strdup_printf ("items.%u.time_zone", e1);
  g_autofree char *e1_configured = g_strdup_printf ("items.%u.configured", e1);
  g_autofree char *e1_types = g_strdup_printf ("items.%u.session_type_count", e1);
  g_autofree char *e2_id = g_strdup_printf ("items.%u.id", 1 - e1);
  g_autofree char *e2_types = g_strdup_printf ("items.%u.session_type_count", 1 - e1);
  g_assert_cmpstr (th_json_str (list, e1_id), ==, c->expert_id);
  g_assert_cmpstr (th_json_str (list, e1_tz), ==, "America/New_York");
  g_assert_true (json_node_get_boolean (th_json_at (list, e1_configured)));
  g_assert_cmpint (th_json_int (list, e1_types), ==, 1);
  g_assert_cmpstr (th_json_str (list, e2_id), ==, c->expert2_id);
  g_assert_cmpint (th_json_int (list, e2_types), ==, 0);
  g_assert_cmpuint (status_of ("GET", experts, c->outsider, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", experts, other->admin, NULL), ==, 404);
}

static void
test_blocked (void)
{
  g_autoptr(Club) c = club_new (ts, "blocked");
  g_autoptr(Club) other = club_new (ts, "blocked-other");
  g_autofree char *p = path (c, "blocked");
  gint64 base = (now_s () / 86400 + 10) * 86400;
  g_autofree char *s1 = iso (base), *e1 = iso (base + 3600), *s2 = iso (base - 86400), *e2 = iso (base - 80000);

  g_autoptr(ThResponse) made = th_requestf (ts, "POST", p, c->expert,
                                            "{\"start\":\"%s\",\"end\":\"%s\",\"reason\":\"Dentist\"}", s1, e1);
  assert_status (made, 201);
  g_assert_cmpstr (th_json_str (made, "reason"), ==, "Dentist");
  g_assert_cmpint (parse_iso (th_json_str (made, "start")), ==, base);
  g_assert_cmpint (parse_iso (th_json_str (made, "end")), ==, base + 3600);
  g_assert_cmpstr (th_json_str (made, "expert_id"), ==, c->expert_id);
  g_autoptr(ThResponse) earlier = th_requestf (ts, "POST", p, c->expert,
                                               "{\"start\":\"%s\",\"end\":\"%s\"}", s2, e2);
  assert_status (earlier, 201);
  g_assert_cmpstr (th_json_str (earlier, "reason"), ==, "");

  /* Validation. */
  g_assert_cmpuint (status_of ("POST", p, c->expert, "{\"start\":\"tomorrow\",\"end\":\"later\"}"), ==, 400);
  g_assert_cmpuint (status_of ("POST", p, c->expert, "{\"start\":\"2030-01-01T10:00:00\",\"end\":\"2030-01-01T11:00:00\"}"), ==, 400);
  g_autofree char *backwards = g_strdup_printf ("{\"start\":\"%s\",\"end\":\"%s\"}", e1, s1);
  g_assert_cmpuint (status_of ("POST", p, c->expert, backwards), ==, 422);
  g_assert_cmpuint (status_of ("POST", p, c->expert, "{\"start\":\"2030-01-01T10:00:00Z\",\"end\":\"2031-06-01T10:00:00Z\"}"), ==, 422);
  g_assert_cmpuint (status_of ("POST", p, c->expert, "{\"start\":\"2030-01-01T10:00:00+02:00\"}"), ==, 422);

  /* Who. */
  g_autofree char *body = g_strdup_printf ("{\"start\":\"%s\",\"end\":\"%s\"}", s1, e1);
  g_assert_cmpuint (status_of ("POST", p, c->student, body), ==, 403);
  g_assert_cmpuint (status_of ("GET", p, c->student, NULL), ==, 403);
  g_assert_cmpuint (status_of ("POST", p, c->outsider, body), ==, 404);
  g_assert_cmpuint (status_of ("POST", p, other->admin, body), ==, 404);

  /* The list: one's own, by start; a range filter; pages. */
  g_autoptr(ThResponse) list = th_request (ts, "GET", p, c->expert, NULL);
  assert_status (list, 200);
  g_assert_cmpuint (th_json_len (list, "items"), ==, 2);
  g_assert_cmpstr (th_json_str (list, "items.0.id"), ==, th_json_str (earlier, "id"));
  g_assert_cmpstr (th_json_str (list, "items.1.id"), ==, th_json_str (made, "id"));
  g_autofree char *ranged = g_strdup_printf ("%s?from=%s", p, s1);
  g_autoptr(ThResponse) later = th_request (ts, "GET", ranged, c->expert, NULL);
  g_assert_cmpuint (th_json_len (later, "items"), ==, 1);
  g_autofree char *paged = g_strdup_printf ("%s?limit=1", p);
  g_autoptr(ThResponse) page1 = th_request (ts, "GET", paged, c->expert, NULL);
  g_assert_nonnull (th_json_str (page1, "next_cursor"));
  g_autoptr(ThResponse) none = th_request (ts, "GET", p, c->expert2, NULL);
  g_assert_cmpuint (th_json_len (none, "items"), ==, 0);
  g_autofree char *admin_q = g_strdup_printf ("%s?expert_id=%s", p, c->expert_id);
  g_autoptr(ThResponse) by_admin = th_request (ts, "GET", admin_q, c->admin, NULL);
  g_assert_cmpuint (th_json_len (by_admin, "items"), ==, 2);

  /* Delete: one's own (admins any); others 404. */
  g_autofree char *one = g_strdup_printf ("%s/%s", p, th_json_str (made, "id"));
  g_autofree char *two = g_strdup_printf ("%s/%s", p, th_json_str (earlier, "id"));
  g_assert_cmpuint (status_of ("DELETE", one, c->expert2, NULL), ==, 404);
  g_assert_cmpuint (status_of ("DELETE", one, c->student, NULL), ==, 404);
  g_assert_cmpuint (status_of ("DELETE", one, other->admin, NULL), ==, 404);
  g_assert_cmpuint (status_of ("DELETE", one, c->expert, NULL), ==, 204);
  g_assert_cmpuint (status_of ("DELETE", one, c->expert, NULL), ==, 404);
  g_assert_cmpuint (status_of ("DELETE", two, c->admin, NULL), ==, 204);
  g_autoptr(ThResponse) after = th_request (ts, "GET", p, c->expert, NULL);
  g_assert_cmpuint (th_json_len (after, "items"), ==, 0);
}

/* ---- slots ---- */

static void
test_slots (void)
{
  g_autoptr(Club) c = club_new (ts, "slots");
  g_autoptr(Club) other = club_new (ts, "slots-other");
  g_autofree char *type = create_type (c, c->expert, 60);

  /* Mondays 09:00–12:00 in Berlin, with a 15-minute buffer after. */
  set_availability (c, c->expert,
      "{\"time_zone\":\"Europe/Berlin\",\"buffer_after_minutes\":15,"
      "\"windows\":[{\"day_of_week\":1,\"start\":\"09:00\",\"end\":\"12:00\"}]}");
  g_autoptr(GDateTime) monday = next_weekday ("Europe/Berlin", 1, 3);
  gint64 day_start = g_date_time_to_unix (monday);
  gint64 week_end = day_start + 7 * 86400;

  g_autofree char *f = iso (day_start), *t = iso (week_end);
  g_autofree char *q = g_strdup_printf ("/groups/%s/coaching/experts/%s/slots?from=%s&to=%s&session_type_id=%s",
                                        c->group, c->expert_id, f, t, type);
  g_autoptr(ThResponse) r = th_request (ts, "GET", q, c->student, NULL);
  assert_status (r, 200);
  g_assert_cmpstr (th_json_str (r, "time_zone"), ==, "Europe/Berlin");
  g_assert_cmpint (th_json_int (r, "duration_minutes"), ==, 60);
  /* 09:00, 09:15 … 11:00 local: nine starts, in UTC on the wire. */
  g_assert_cmpuint (th_json_len (r, "items"), ==, 9);
  g_assert_cmpint (parse_iso (th_json_str (r, "items.0.start")), ==, at (monday, 9, 0));
  g_assert_cmpint (parse_iso (th_json_str (r, "items.8.start")), ==, at (monday, 11, 0));
  g_assert_cmpint (parse_iso (th_json_str (r, "items.8.end")), ==, at (monday, 12, 0));
  g_assert_true (g_str_has_suffix (th_json_str (r, "items.0.start"), "Z"));

  /* A blocked 10:00–10:30 takes every slot that touches it. */
  g_autofree char *bp = path (c, "blocked");
  g_autofree char *b1 = iso (at (monday, 10, 0)), *b2 = iso (at (monday, 10, 30));
  g_autoptr(ThResponse) blocked = th_requestf (ts, "POST", bp, c->expert,
                                               "{\"start\":\"%s\",\"end\":\"%s\",\"reason\":\"Call\"}", b1, b2);
  assert_status (blocked, 201);
  g_autoptr(GArray) after_block = slots (c, c->student, c->expert_id, type, day_start, week_end, NULL);
  /* [start, end + 15 min) must miss [10:00, 10:30): 09:00 would run into
   * it with its buffer; 10:30, 10:45 and 11:00 are left. */
  g_assert_cmpuint (after_block->len, ==, 3);
  g_assert_false (has_start (after_block, at (monday, 9, 0)));
  g_assert_true (has_start (after_block, at (monday, 10, 30)));
  g_assert_true (has_start (after_block, at (monday, 10, 45)));
  g_assert_true (has_start (after_block, at (monday, 11, 0)));

  /* Without the block, a booking at 10:00 holds [10:00, 11:15) with its
   * buffer.  A slot's own block must miss it: a start by 08:45 (outside
   * the window) or from 11:15 (ending after it): nothing is left. */
  g_autofree char *unblock = g_strdup_printf ("%s/%s", bp, th_json_str (blocked, "id"));
  g_assert_cmpuint (status_of ("DELETE", unblock, c->expert, NULL), ==, 204);
  g_autofree char *booked = book_ok (c, c->student, type, at (monday, 10, 0));
  g_autoptr(GArray) after_booking = slots (c, c->student2, c->expert_id, type, day_start, week_end, NULL);
  g_assert_cmpuint (after_booking->len, ==, 0);

  /* The expert's bookings in another group count too: a second group with
   * its own week, Mondays 08:00–13:00 in Berlin, no buffers. */
  g_autoptr(ThResponse) g2 = th_request (ts, "POST", "/groups", c->expert, "{\"name\":\"Second\"}");
  assert_status (g2, 201);
  Club c2 = *c;
  c2.group = (char *) th_json_str (g2, "id");
  th_join_group (ts, c->expert, c2.group, "slots-student2@example.org", c->student2);
  set_availability (&c2, c->expert,
      "{\"time_zone\":\"Europe/Berlin\",\"windows\":[{\"day_of_week\":1,\"start\":\"08:00\",\"end\":\"13:00\"}]}");
  g_autofree char *type2 = create_type (&c2, c->expert, 60);
  g_autoptr(GArray) second = slots (&c2, c->student2, c->expert_id, type2, day_start, week_end, NULL);
  /* 08:00 … 12:00 is 17 starts; the booking's block [10:00, 11:15) takes
   * those from 09:15 to 11:00 (8 of them). */
  g_assert_cmpuint (second->len, ==, 17 - 8);
  g_assert_true (has_start (second, at (monday, 9, 0)));
  g_assert_false (has_start (second, at (monday, 9, 15)));
  g_assert_false (has_start (second, at (monday, 11, 0)));
  g_assert_true (has_start (second, at (monday, 11, 15)));
  /* …and booking there at 09:30 is refused. */
  g_autoptr(ThResponse) clash = book (&c2, c->student2, type2, at (monday, 9, 30));
  assert_error (clash, 409, "slot_unavailable");

  /* Cancelling frees the slots again. */
  g_autofree char *cancel = g_strdup_printf ("/groups/%s/coaching/bookings/%s/cancel", c->group, booked);
  g_assert_cmpuint (status_of ("POST", cancel, c->student, "{\"reason\":\"Ill\"}"), ==, 200);
  g_autoptr(GArray) freed = slots (c, c->student, c->expert_id, type, day_start, week_end, NULL);
  g_assert_cmpuint (freed->len, ==, 9);

  /* The minimum notice (2 h): all day every day in UTC, asked from now. */
  set_availability (c, c->expert, ALWAYS ",\"buffer_after_minutes\":0}");
  gint64 now = now_s ();
  g_autoptr(GArray) soon = slots (c, c->student, c->expert_id, type, now, now + 6 * 3600, NULL);
  g_assert_cmpuint (soon->len, >, 0);
  gint64 first = g_array_index (soon, gint64, 0);
  g_assert_cmpint (first, >=, now + 2 * 3600);
  g_assert_cmpint (first, <, now + 2 * 3600 + 15 * 60 + 5);
  g_assert_cmpint (first % (15 * 60), ==, 0);

  /* Errors and who may ask. */
  g_autofree char *base = g_strdup_printf ("/groups/%s/coaching/experts/%s/slots", c->group, c->expert_id);
  g_autofree char *no_type = g_strdup_printf ("%s?from=%s", base, f);
  g_assert_cmpuint (status_of ("GET", no_type, c->student, NULL), ==, 400);
  g_autofree char *bad_from = g_strdup_printf ("%s?session_type_id=%s&from=soon", base, type);
  g_assert_cmpuint (status_of ("GET", bad_from, c->student, NULL), ==, 400);
  g_autofree char *far = iso (day_start + 100 * 86400);
  g_autofree char *too_long = g_strdup_printf ("%s?session_type_id=%s&from=%s&to=%s", base, type, f, far);
  g_assert_cmpuint (status_of ("GET", too_long, c->student, NULL), ==, 400);
  g_autofree char *backwards = g_strdup_printf ("%s?session_type_id=%s&from=%s&to=%s", base, type, t, f);
  g_assert_cmpuint (status_of ("GET", backwards, c->student, NULL), ==, 400);
  g_autofree char *defaults = g_strdup_printf ("%s?session_type=%s", base, type);
  g_autoptr(ThResponse) dflt = th_request (ts, "GET", defaults, c->student, NULL);
  assert_status (dflt, 200);
  g_assert_cmpint (parse_iso (th_json_str (dflt, "to")) - parse_iso (th_json_str (dflt, "from")), ==, 7 * 86400);
  g_autofree char *wrong_type = g_strdup_printf ("%s?session_type_id=%s", base, type2);
  g_assert_cmpuint (status_of ("GET", wrong_type, c->student, NULL), ==, 404);
  g_autofree char *of_student = g_strdup_printf ("/groups/%s/coaching/experts/%s/slots?session_type_id=%s",
                                                 c->group, c->student_id, type);
  g_assert_cmpuint (status_of ("GET", of_student, c->student, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", defaults, c->outsider, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", defaults, other->admin, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", defaults, other->student, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", defaults, c->admin, NULL), ==, 200);
}

/* ---- bookings ---- */

static void
test_bookings (void)
{
  g_autoptr(Club) c = club_new (ts, "book");
  g_autoptr(Club) other = club_new (ts, "book-other");
  g_autofree char *type = create_type (c, c->expert, 30);
  g_autofree char *type2 = create_type (c, c->expert2, 30);
  g_autofree char *bp = path (c, "bookings");
  set_availability (c, c->expert, ALWAYS ",\"buffer_before_minutes\":15}");
  gint64 day = (now_s () / 86400 + 3) * 86400;   /* midnight UTC, three days ahead */

  /* Book: 201 with the booking; the same time again 409. */
  g_autofree char *s = iso (day + 10 * 3600);
  g_autoptr(ThResponse) r = th_requestf (ts, "POST", bp, c->student,
      "{\"session_type_id\":\"%s\",\"expert_id\":\"%s\",\"start\":\"%s\",\"notes\":\"My backswing\"}",
      type, c->expert_id, s);
  assert_status (r, 201);
  const char *id = th_json_str (r, "id");
  g_assert_cmpint (parse_iso (th_json_str (r, "start")), ==, day + 10 * 3600);
  g_assert_cmpint (parse_iso (th_json_str (r, "end")), ==, day + 10 * 3600 + 1800);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "booked");
  g_assert_cmpstr (th_json_str (r, "expert_id"), ==, c->expert_id);
  g_assert_cmpstr (th_json_str (r, "expert.name"), ==, "expert user");
  g_assert_cmpstr (th_json_str (r, "student_id"), ==, c->student_id);
  g_assert_cmpstr (th_json_str (r, "session_type.name"), ==, "Session 30");
  g_assert_cmpstr (th_json_str (r, "notes"), ==, "My backswing");
  g_assert_cmpint (th_json_int (r, "sequence"), ==, 0);
  g_assert_cmpint (th_json_int (r, "duration_minutes"), ==, 30);
  g_assert_cmpint (parse_iso (th_json_str (r, "cancel_deadline")), ==, day + 9 * 3600);
  g_assert_cmpint (parse_iso (th_json_str (r, "connect_opens_at")), ==, day + 10 * 3600 - 15 * 60);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (r, "cancel_reason")));
  g_autofree char *one = g_strdup_printf ("%s/%s", bp, id);

  g_autoptr(ThResponse) again = book (c, c->student2, type, day + 10 * 3600);
  assert_error (again, 409, "slot_unavailable");
  /* Overlapping, and touching the 15-minute buffer before. */
  g_autoptr(ThResponse) overlap = book (c, c->student2, type, day + 10 * 3600 + 15 * 60);
  assert_error (overlap, 409, "slot_unavailable");
  g_autoptr(ThResponse) buffer = book (c, c->student2, type, day + 10 * 3600 + 30 * 60);
  assert_error (buffer, 409, "slot_unavailable");
  g_free (book_ok (c, c->student2, type, day + 10 * 3600 + 45 * 60));
  /* Not a slot: off the grid, in the past, inside the notice, out of the window. */
  g_autoptr(ThResponse) off_grid = book (c, c->student2, type, day + 14 * 3600 + 7 * 60);
  assert_error (off_grid, 409, "slot_unavailable");
  g_autoptr(ThResponse) past = book (c, c->student2, type, day - 5 * 86400);
  assert_error (past, 409, "slot_unavailable");
  g_autoptr(ThResponse) notice = book (c, c->student2, type, (now_s () / 900 + 2) * 900);
  assert_error (notice, 409, "slot_unavailable");
  g_autoptr(ThResponse) no_window = book (c, c->student2, type2, day + 14 * 3600);
  assert_error (no_window, 409, "slot_unavailable");

  /* Validation and who may book. */
  g_autofree char *t = iso (day + 16 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"session_type_id\":\"%s\",\"start\":\"%s\"}", type, t);
  g_assert_cmpuint (status_of ("POST", bp, c->student, "{\"session_type_id\":\"nope\",\"start\":\"2030-01-01T10:00:00Z\"}"), ==, 422);
  g_autofree char *bad_start = g_strdup_printf ("{\"session_type_id\":\"%s\",\"start\":\"at ten\"}", type);
  g_assert_cmpuint (status_of ("POST", bp, c->student, bad_start), ==, 400);
  g_autofree char *wrong_expert = g_strdup_printf ("{\"session_type_id\":\"%s\",\"expert_id\":\"%s\",\"start\":\"%s\"}",
                                                   type, c->expert2_id, t);
  g_assert_cmpuint (status_of ("POST", bp, c->student, wrong_expert), ==, 422);
  g_autofree char *unknown_type = g_strdup_printf ("{\"session_type_id\":\"%s\",\"start\":\"%s\"}", c->group, t);
  g_assert_cmpuint (status_of ("POST", bp, c->student, unknown_type), ==, 404);
  g_autoptr(ThResponse) self = th_request (ts, "POST", bp, c->expert, body);
  assert_error (self, 422, "validation_failed");
  g_assert_cmpuint (status_of ("POST", bp, c->admin, body), ==, 403);      /* an admin outside the group */
  g_assert_cmpuint (status_of ("POST", bp, c->outsider, body), ==, 404);
  g_assert_cmpuint (status_of ("POST", bp, other->student, body), ==, 404);
  g_assert_cmpuint (status_of ("POST", bp, other->admin, body), ==, 404);
  /* Another expert of the group may book one. */
  g_autofree char *by_expert2 = book_ok (c, c->expert2, type, day + 16 * 3600);
  /* An inactive type cannot be booked. */
  g_autofree char *types_path = path (c, "session-types");
  g_autofree char *type_path = g_strdup_printf ("%s/%s", types_path, type);
  g_assert_cmpuint (status_of ("PATCH", type_path, c->expert, "{\"active\":false}"), ==, 200);
  g_autoptr(ThResponse) inactive = book (c, c->student, type, day + 18 * 3600);
  assert_error (inactive, 404, "not_found");
  g_assert_cmpuint (status_of ("PATCH", type_path, c->expert, "{\"active\":true}"), ==, 200);

  /* Show: participants and admins; everybody else 404. */
  g_assert_cmpuint (status_of ("GET", one, c->student, NULL), ==, 200);
  g_assert_cmpuint (status_of ("GET", one, c->expert, NULL), ==, 200);
  g_assert_cmpuint (status_of ("GET", one, c->admin, NULL), ==, 200);
  g_assert_cmpuint (status_of ("GET", one, c->student2, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", one, c->expert2, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", one, c->outsider, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", one, other->admin, NULL), ==, 404);

  /* Lists: mine, as student or expert. */
  g_autoptr(ThResponse) mine = th_request (ts, "GET", bp, c->student2, NULL);
  assert_status (mine, 200);
  g_assert_cmpuint (th_json_len (mine, "items"), ==, 1);
  g_autoptr(ThResponse) as_expert = th_request (ts, "GET", bp, c->expert, NULL);
  g_assert_cmpuint (th_json_len (as_expert, "items"), ==, 3);
  g_assert_cmpstr (th_json_str (as_expert, "items.0.id"), ==, id);      /* by start */
  g_autofree char *student_role = g_strdup_printf ("%s?role=student", bp);
  g_autoptr(ThResponse) expert_as_student = th_request (ts, "GET", student_role, c->expert, NULL);
  g_assert_cmpuint (th_json_len (expert_as_student, "items"), ==, 0);
  g_autoptr(ThResponse) expert2_as_student = th_request (ts, "GET", student_role, c->expert2, NULL);
  g_assert_cmpuint (th_json_len (expert2_as_student, "items"), ==, 1);
  /* Everyone's: the organization's admins only. */
  g_autofree char *all_role = g_strdup_printf ("%s?role=all", bp);
  g_autoptr(ThResponse) everyone = th_request (ts, "GET", all_role, c->admin, NULL);
  assert_status (everyone, 200);
  g_assert_cmpuint (th_json_len (everyone, "items"), ==, 3);
  g_autoptr(ThResponse) admin_own = th_request (ts, "GET", bp, c->admin, NULL);
  g_assert_cmpuint (th_json_len (admin_own, "items"), ==, 0);
  g_autoptr(ThResponse) expert_all = th_request (ts, "GET", all_role, c->expert, NULL);
  assert_error (expert_all, 403, "forbidden");
  g_assert_cmpuint (status_of ("GET", all_role, c->student, NULL), ==, 403);
  g_assert_cmpuint (status_of ("GET", all_role, other->admin, NULL), ==, 404);
  g_autofree char *paged = g_strdup_printf ("%s?limit=2", bp);
  g_autoptr(ThResponse) page1 = th_request (ts, "GET", paged, c->expert, NULL);
  g_assert_cmpuint (th_json_len (page1, "items"), ==, 2);
  g_autofree char *paged2 = g_strdup_printf ("%s?limit=2&cursor=%s", bp, th_json_str (page1, "next_cursor"));
  g_autoptr(ThResponse) page2 = th_request (ts, "GET", paged2, c->expert, NULL);
  g_assert_cmpuint (th_json_len (page2, "items"), ==, 1);
  g_assert_cmpstr (th_json_str (page2, "items.0.id"), ==, by_expert2);
  g_autofree char *upcoming = g_strdup_printf ("%s?when=upcoming", bp);
  g_autoptr(ThResponse) up = th_request (ts, "GET", upcoming, c->expert, NULL);
  g_assert_cmpuint (th_json_len (up, "items"), ==, 3);
  g_autofree char *past_q = g_strdup_printf ("%s?when=past", bp);
  g_autoptr(ThResponse) past_list = th_request (ts, "GET", past_q, c->expert, NULL);
  g_assert_cmpuint (th_json_len (past_list, "items"), ==, 0);
  g_autofree char *bad_filter = g_strdup_printf ("%s?when=someday", bp);
  g_assert_cmpuint (status_of ("GET", bad_filter, c->expert, NULL), ==, 400);
  g_assert_cmpuint (status_of ("GET", bp, c->outsider, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", bp, other->admin, NULL), ==, 404);

  /* Reschedule: onto a taken time 409, next to itself fine (it does not
   * collide with itself), sequence counts up. */
  g_autofree char *move = g_strdup_printf ("%s/reschedule", one);
  g_autofree char *taken = iso (day + 11 * 3600);
  g_autofree char *to_taken = g_strdup_printf ("{\"start\":\"%s\"}", taken);
  g_autoptr(ThResponse) moved_onto = th_request (ts, "POST", move, c->student, to_taken);
  assert_error (moved_onto, 409, "slot_unavailable");
  g_autofree char *near = iso (day + 10 * 3600 - 15 * 60);
  g_autoptr(ThResponse) moved = th_requestf (ts, "POST", move, c->student, "{\"start\":\"%s\"}", near);
  assert_status (moved, 200);
  g_assert_cmpint (parse_iso (th_json_str (moved, "start")), ==, day + 10 * 3600 - 15 * 60);
  g_assert_cmpint (parse_iso (th_json_str (moved, "end")), ==, day + 10 * 3600 + 15 * 60);
  g_assert_cmpint (th_json_int (moved, "sequence"), ==, 1);
  /* For moving it again, its own time is offered with exclude_booking_id
   * (to its participants only), and not without. */
  {
    g_autoptr(GArray) plain = slots (c, c->student, c->expert_id, type, day + 9 * 3600, day + 11 * 3600, NULL);
    g_autoptr(GArray) own = slots (c, c->student, c->expert_id, type, day + 9 * 3600, day + 11 * 3600, id);
    g_autoptr(GArray) as_expert_own = slots (c, c->expert, c->expert_id, type, day + 9 * 3600,
                                                       day + 11 * 3600, id);
    g_assert_false (has_start (plain, day + 10 * 3600));
    g_assert_true (has_start (own, day + 10 * 3600));
    g_assert_true (has_start (as_expert_own, day + 10 * 3600));
    g_autofree char *f = iso (day + 9 * 3600);
    g_autofree char *q = g_strdup_printf ("/groups/%s/coaching/experts/%s/slots?from=%s&session_type_id=%s"
                                          "&exclude_booking_id=%s", c->group, c->expert_id, f, type, id);
    g_assert_cmpuint (status_of ("GET", q, c->student2, NULL), ==, 404);
    g_autofree char *q_bad = g_strdup_printf ("/groups/%s/coaching/experts/%s/slots?from=%s&session_type_id=%s"
                                              "&exclude_booking_id=soon", c->group, c->expert_id, f, type);
    g_assert_cmpuint (status_of ("GET", q_bad, c->student, NULL), ==, 400);
  }
  g_assert_cmpuint (status_of ("POST", move, c->student2, to_taken), ==, 404);
  g_assert_cmpuint (status_of ("POST", move, c->student, "{\"start\":\"later\"}"), ==, 400);
  /* The expert moves it too. */
  g_autofree char *evening = iso (day + 20 * 3600);
  g_autoptr(ThResponse) moved2 = th_requestf (ts, "POST", move, c->expert, "{\"start\":\"%s\"}", evening);
  assert_status (moved2, 200);
  g_assert_cmpint (th_json_int (moved2, "sequence"), ==, 2);
  /* Its old time is free again. */
  g_free (book_ok (c, c->student2, type, day + 10 * 3600 - 15 * 60));

  /* Cancel: others 404; the student long before the start; then 409. */
  g_autofree char *cancel = g_strdup_printf ("%s/cancel", one);
  g_assert_cmpuint (status_of ("POST", cancel, c->student2, "{}"), ==, 404);
  g_assert_cmpuint (status_of ("POST", cancel, other->admin, "{}"), ==, 404);
  g_autoptr(ThResponse) cancelled = th_request (ts, "POST", cancel, c->student, "{\"reason\":\"  Travelling\\n \"}");
  assert_status (cancelled, 200);
  g_assert_cmpstr (th_json_str (cancelled, "status"), ==, "cancelled");
  g_assert_cmpstr (th_json_str (cancelled, "cancel_reason"), ==, "Travelling");
  g_assert_cmpstr (th_json_str (cancelled, "cancelled_by"), ==, c->student_id);
  g_assert_nonnull (th_json_str (cancelled, "cancelled_at"));
  g_assert_cmpint (th_json_int (cancelled, "sequence"), ==, 3);
  g_autoptr(ThResponse) twice = th_request (ts, "POST", cancel, c->expert, "{}");
  assert_error (twice, 409, "invalid_transition");
  g_autoptr(ThResponse) move_cancelled = th_request (ts, "POST", move, c->expert, to_taken);
  assert_error (move_cancelled, 409, "invalid_transition");
  g_autofree char *cancelled_q = g_strdup_printf ("%s?status=cancelled", bp);
  g_autoptr(ThResponse) cancelled_list = th_request (ts, "GET", cancelled_q, c->student, NULL);
  g_assert_cmpuint (th_json_len (cancelled_list, "items"), ==, 1);

  /* A type with bookings is deactivated, not deleted. */
  g_assert_cmpuint (status_of ("DELETE", type_path, c->expert, NULL), ==, 204);
  g_autoptr(ThResponse) kept = th_request (ts, "GET", type_path, c->expert, NULL);
  assert_status (kept, 200);
  g_assert_false (json_node_get_boolean (th_json_at (kept, "active")));
  g_assert_cmpuint (status_of ("GET", one, c->student, NULL), ==, 200);

  /* Deleting the group takes its coaching along. */
  g_autofree char *group_path = g_strdup_printf ("/groups/%s", c->group);
  g_assert_cmpuint (status_of ("DELETE", group_path, c->expert, NULL), ==, 204);
  g_assert_cmpuint (status_of ("GET", one, c->admin, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", bp, c->admin, NULL), ==, 404);
}

/* The notice rules with a server whose minimum booking notice is 0: a
 * session starting within the hour can be booked, but its student can
 * neither cancel nor move it; its expert and admins can. */
static void
no_booking_notice (SdConfig *config,
                   gpointer  data)
{
  config->min_booking_notice_s = 0;
  config->cancellation_notice_s = 3600;
  config->connect_window_s = 600;
}

static void
test_cancellation_notice (void)
{
  ThServer *main_server = ts;
  ts = th_server_start_full (no_booking_notice, NULL);
  {
    g_autoptr(Club) c = club_new (ts, "notice");
    g_autofree char *type = create_type (c, c->expert, 15);
    set_availability (c, c->expert, ALWAYS "}");
    gint64 now = now_s ();
    g_autoptr(GArray) soon = slots (c, c->student, c->expert_id, type, now, now + 3 * 3600, NULL);
    g_assert_cmpuint (soon->len, >=, 8);
    gint64 first = g_array_index (soon, gint64, 0);
    g_assert_cmpint (first, >=, now);
    g_assert_cmpint (first, <=, now + 15 * 60);

    /* Starts within the hour. */
    gint64 start = g_array_index (soon, gint64, 1);
    g_autoptr(ThResponse) booked = book (c, c->student, type, start);
    assert_status (booked, 201);
    g_assert_cmpint (parse_iso (th_json_str (booked, "connect_opens_at")), ==, start - 600);
    g_autofree char *bp = path (c, "bookings");
    g_autofree char *one = g_strdup_printf ("%s/%s", bp, th_json_str (booked, "id"));
    g_autofree char *cancel = g_strdup_printf ("%s/cancel", one);
    g_autofree char *move = g_strdup_printf ("%s/reschedule", one);
    g_autofree char *later = iso (start + 4 * 3600);
    g_autofree char *later_body = g_strdup_printf ("{\"start\":\"%s\"}", later);

    g_autoptr(ThResponse) late = th_request (ts, "POST", cancel, c->student, "{\"reason\":\"Late\"}");
    assert_error (late, 409, "too_late");
    g_assert_nonnull (strstr (th_json_str (late, "error.message"), "60 minutes"));
    g_autoptr(ThResponse) late_move = th_request (ts, "POST", move, c->student, later_body);
    assert_error (late_move, 409, "too_late");
    /* The expert may move it, and the student still cannot cancel it
     * while it is within the hour… */
    g_autoptr(ThResponse) by_expert = th_request (ts, "POST", move, c->expert, later_body);
    assert_status (by_expert, 200);
    /* …but now it is four hours away: the student may. */
    g_autoptr(ThResponse) student_now = th_request (ts, "POST", cancel, c->student, "{\"reason\":\"Now I can\"}");
    assert_status (student_now, 200);

    /* Another one, cancelled late by the expert, one by an admin. */
    g_autoptr(ThResponse) second = book (c, c->student, type, start);
    assert_status (second, 201);
    g_autofree char *cancel2 = g_strdup_printf ("%s/%s/cancel", bp, th_json_str (second, "id"));
    g_assert_cmpuint (status_of ("POST", cancel2, c->student, "{}"), ==, 409);
    g_autoptr(ThResponse) expert_cancel = th_request (ts, "POST", cancel2, c->expert, "{\"reason\":\"Sick\"}");
    assert_status (expert_cancel, 200);
    g_assert_cmpstr (th_json_str (expert_cancel, "cancelled_by"), ==, c->expert_id);
    g_autoptr(ThResponse) third = book (c, c->student2, type, start);
    assert_status (third, 201);
    g_autofree char *cancel3 = g_strdup_printf ("%s/%s/cancel", bp, th_json_str (third, "id"));
    g_assert_cmpuint (status_of ("POST", cancel3, c->admin, "{}"), ==, 200);
  }
  th_server_stop (ts);
  ts = main_server;
}

/* ---- the no-overlap rule of the database itself ---- */

static void
test_no_overlap_constraint (void)
{
  g_autoptr(Club) c = club_new (ts, "overlap");
  g_autofree char *type = create_type (c, c->expert, 60);
  g_autoptr(GError) error = NULL;
  g_autofree char *owner_url = NULL;
#ifdef HAVE_POSTGRES
  if (ts->pg_database != NULL)
    owner_url = th_pg_url ("TANDEM_TEST_PG_OWNER", ts->pg_database);
#endif
  g_autoptr(SdDb) db = sd_db_open (ts->db_url, owner_url, &error);
  g_assert_no_error (error);
  g_autoptr(SdDbConn) conn = sd_db_connect (db, &error);
  g_assert_no_error (error);
  g_autoptr(ThResponse) me = th_request (ts, "GET", "/auth/me", c->admin, NULL);
  const char *org = th_json_str (me, "organization_id");
  g_assert_nonnull (org);
  gint64 t = (now_s () / 86400 + 30) * 86400;

  const struct { gint64 start, end; const char *status; gboolean ok; } rows[] = {
    { t, t + 3600, "booked", TRUE },
    { t + 1800, t + 5400, "booked", FALSE },       /* overlaps */
    { t + 1800, t + 5400, "cancelled", TRUE },     /* cancelled ones do not count */
    { t + 3600, t + 7200, "booked", TRUE },        /* touches: fine */
    { t - 7200, t + 10800, "booked", FALSE },      /* covers both */
  };
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, org, &error));
      gint64 n = sd_db_exec (conn, &error,
                             "INSERT INTO coaching_bookings (id, org_id, group_id, session_type_id, expert_id,"
                             " student_id, start_at, end_at, block_start, block_end, status, created_at, updated_at)"
                             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9, $7, $7)",
                             "ssssssiis", id, org, c->group, type, c->expert_id, c->student_id,
                             rows[i].start, rows[i].end, rows[i].status);
      if (rows[i].ok)
        {
          g_assert_no_error (error);
          g_assert_cmpint (n, ==, 1);
          g_assert_true (sd_db_commit (conn, &error));
        }
      else
        {
          g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_OVERLAP);
          g_clear_error (&error);
          sd_db_rollback (conn);
        }
    }
  /* Reviving the cancelled one would overlap. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, org, &error));
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "UPDATE coaching_bookings SET status = 'booked'"
                               " WHERE status = 'cancelled' AND expert_id = $1", "s", c->expert_id), ==, -1);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_OVERLAP);
  sd_db_rollback (conn);
}

/* ---- many clients at once ---- */

typedef struct {
  GMutex lock;
  GCond cond;
  guint ready;
  gboolean go;
} Gate;

typedef struct {
  Gate *gate;
  const char *url;
  const char *token;
  char *body;
  guint status;
  char *code;
} Racer;

static gpointer
race (gpointer data)
{
  Racer *racer = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", racer->url);
  g_autofree char *auth = g_strconcat ("Bearer ", racer->token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  g_autoptr(GBytes) body = g_bytes_new (racer->body, strlen (racer->body));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);

  g_mutex_lock (&racer->gate->lock);
  racer->gate->ready++;
  g_cond_broadcast (&racer->gate->cond);
  while (!racer->gate->go)
    g_cond_wait (&racer->gate->cond, &racer->gate->lock);
  g_mutex_unlock (&racer->gate->lock);

  g_autoptr(GBytes) reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  racer->status = soup_message_get_status (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  if (json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), (gssize) g_bytes_get_size (reply), NULL))
    {
      JsonObject *root = json_node_get_object (json_parser_get_root (parser));
      if (json_object_has_member (root, "error"))
        racer->code = g_strdup (json_object_get_string_member (json_object_get_object_member (root, "error"), "code"));
    }
  return NULL;
}

#define N_RACERS 20

static void
test_concurrent_booking (void)
{
  g_autoptr(Club) c = club_new (ts, "race");
  g_autofree char *type = create_type (c, c->expert, 60);
  g_autofree char *bp = path (c, "bookings");
  g_autofree char *url = g_strconcat (ts->url, bp, NULL);
  set_availability (c, c->expert, ALWAYS ",\"buffer_after_minutes\":10}");
  /* Four more students, so six clients in all. */
  g_autoptr(GPtrArray) students = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (students, g_strdup (c->student));
  g_ptr_array_add (students, g_strdup (c->student2));
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *email = g_strdup_printf ("race-extra%u@example.org", i);
      char *token = th_add_user (ts, c->admin, email, "student", NULL);
      th_join_group (ts, c->expert, c->group, email, token);
      g_ptr_array_add (students, token);
    }

  /* Three rounds, each on its own day: twenty requests for four starts a
   * quarter-hour apart, all overlapping one another. */
  for (guint round = 0; round < 3; round++)
    {
      gint64 base = (now_s () / 86400 + 5 + round) * 86400 + 9 * 3600;
      Gate gate = { 0 };
      Racer racers[N_RACERS] = { 0 };
      GThread *threads[N_RACERS];
      g_mutex_init (&gate.lock);
      g_cond_init (&gate.cond);
      for (guint i = 0; i < N_RACERS; i++)
        {
          g_autofree char *start = iso (base + (gint64) (i % 4) * 15 * 60);
          racers[i].gate = &gate;
          racers[i].url = url;
          racers[i].token = g_ptr_array_index (students, i % students->len);
          racers[i].body = g_strdup_printf ("{\"session_type_id\":\"%s\",\"start\":\"%s\"}", type, start);
          threads[i] = g_thread_new ("racer", race, &racers[i]);
        }
      g_mutex_lock (&gate.lock);
      while (gate.ready < N_RACERS)
        g_cond_wait (&gate.cond, &gate.lock);
      gate.go = TRUE;
      g_cond_broadcast (&gate.cond);
      g_mutex_unlock (&gate.lock);

      guint created = 0, refused = 0;
      for (guint i = 0; i < N_RACERS; i++)
        {
          g_thread_join (threads[i]);
          if (racers[i].status == 201)
            created++;
          else if (racers[i].status == 409 && g_strcmp0 (racers[i].code, "slot_unavailable") == 0)
            refused++;
          else
            g_error ("racer %u: %u %s", i, racers[i].status, racers[i].code);
          g_free (racers[i].body);
          g_free (racers[i].code);
        }
      g_mutex_clear (&gate.lock);
      g_cond_clear (&gate.cond);
      g_assert_cmpuint (created, ==, 1);
      g_assert_cmpuint (refused, ==, N_RACERS - 1);
    }

  /* The expert has exactly three live bookings. */
  g_autofree char *live = g_strdup_printf ("%s?status=booked", bp);
  g_autoptr(ThResponse) list = th_request (ts, "GET", live, c->expert, NULL);
  g_assert_cmpuint (th_json_len (list, "items"), ==, 3);
}

int
main (int argc, char *argv[])
{
  th_init (&argc, &argv);
  ts = th_server_start ();
  g_test_add_func ("/Coaching/session-types", test_session_types);
  g_test_add_func ("/Coaching/availability", test_availability);
  g_test_add_func ("/Coaching/blocked", test_blocked);
  g_test_add_func ("/Coaching/slots", test_slots);
  g_test_add_func ("/Coaching/bookings", test_bookings);
  g_test_add_func ("/Coaching/cancellation-notice", test_cancellation_notice);
  g_test_add_func ("/Coaching/no-overlap-constraint", test_no_overlap_constraint);
  g_test_add_func ("/Coaching/concurrent-booking", test_concurrent_booking);
  int rc = g_test_run ();
  th_server_stop (ts);
  return rc;
}
