/* th-booking.c — see th-booking.h. */
#include "th-booking.h"

#include "store/sd-db.h"

static void
db_exec (ThServer   *ts,
         const char *org_id,
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

ThClub *
th_club_new (ThServer   *ts,
             const char *tag)
{
  ThClub *c = g_new0 (ThClub, 1);
  g_autofree char *e_admin = g_strdup_printf ("%s-admin@example.org", tag);
  g_autofree char *e_expert = g_strdup_printf ("%s-coach@example.org", tag);
  g_autofree char *e_student = g_strdup_printf ("%s-student@example.org", tag);
  g_autofree char *e_other = g_strdup_printf ("%s-other@example.org", tag);

  c->ts = ts;
  c->admin = th_register_admin (ts, e_admin, tag, NULL);
  c->expert = th_add_user (ts, c->admin, e_expert, "expert", &c->expert_id);
  c->student = th_add_user (ts, c->admin, e_student, "student", &c->student_id);
  c->other = th_add_user (ts, c->admin, e_other, "student", NULL);
  g_autoptr(ThResponse) me = th_request (ts, "GET", "/auth/me", c->admin, NULL);
  c->org_id = g_strdup (th_json_str (me, "organization_id"));
  g_assert_nonnull (c->org_id);
  g_autoptr(ThResponse) g = th_request (ts, "POST", "/groups", c->expert, "{\"name\":\"Rowing\"}");
  g_assert_cmpuint (g->status, ==, 201);
  c->group_id = g_strdup (th_json_str (g, "id"));
  th_join_group (ts, c->expert, c->group_id, e_student, c->student);
  th_join_group (ts, c->expert, c->group_id, e_other, c->other);

  c->type_id = g_uuid_string_random ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  db_exec (ts, c->org_id,
           "INSERT INTO coaching_session_types (id, org_id, group_id, expert_id, name, duration_minutes,"
           " created_at, updated_at) VALUES ($1, $2, $3, $4, 'Session', 30, $5, $5)",
           "ssssi", c->type_id, c->org_id, c->group_id, c->expert_id, now);
  return c;
}

char *
th_club_book (ThClub *c,
              gint64  start,
              gint64  end)
{
  char *id = g_uuid_string_random ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  db_exec (c->ts, c->org_id,
           "INSERT INTO coaching_bookings (id, org_id, group_id, session_type_id, expert_id, student_id,"
           " start_at, end_at, block_start, block_end, status, created_at, updated_at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, 'booked', $9, $9)",
           "ssssssiii", id, c->org_id, c->group_id, c->type_id, c->expert_id, c->student_id,
           start, end, now);
  return id;
}

void
th_club_free (ThClub *c)
{
  g_free (c->org_id);
  g_free (c->group_id);
  g_free (c->type_id);
  g_free (c->admin);
  g_free (c->expert);
  g_free (c->expert_id);
  g_free (c->student);
  g_free (c->student_id);
  g_free (c->other);
  g_free (c);
}
