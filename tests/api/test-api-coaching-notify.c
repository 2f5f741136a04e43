/* test-api-coaching-notify.c — what happens around a booking besides its
 * row, against a real signald on SQLite and on PostgreSQL:
 *
 *  - the e-mails on booking, move and cancellation reach both participants
 *    in their language with times in their zone, each with an iCalendar
 *    invitation (METHOD, UID, DTSTART, SEQUENCE checked by hand and by a
 *    real parser), in the spool and through a real SMTP conversation;
 *  - reminders go out once: repeated passes, a restart, concurrent
 *    schedulers and (PostgreSQL) two signald instances on one database;
 *  - POST /internal/coaching/reminders: 404 without a secret, 401 with a
 *    wrong one;
 *  - the calendar feed: only the token's expert's bookings, rotation and
 *    revocation.
 *
 * Bookings are rows written here through SQL, in the organization's
 * transaction as signald would (the booking routes are tested in
 * test-api-bookings.c), and e-mails are queued with the same functions the
 * booking handlers call. */
#include "th-ics.h"
#include "th-server.h"
#include "th-smtp.h"

#include "api/sd-coaching-mail.h"
#include "jobs/sd-reminders.h"
#include "sd-server.h"
#include "store/sd-db.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define INTERNAL_SECRET "internal-secret-for-tests-0123456789"

/* Monday 1 July 2030, 12:00 UTC: 14:00 in Berlin (CEST), 08:00 in New York (EDT). */
#define JULY_1_2030_NOON G_GINT64_CONSTANT (1909137600)

typedef struct {
  ThServer *ts;
  char *admin, *expert, *student, *expert2;            /* tokens */
  char *admin_id, *expert_id, *student_id, *expert2_id;
  char *org_id, *group_id, *type_id;
} World;

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static SdDbConn *
world_db (World *w)
{
  g_autoptr(GError) error = NULL;
  SdDbConn *conn = sd_db_connect (sd_server_get_db (w->ts->server), &error);
  g_assert_no_error (error);
  return conn;
}

static void
set_me (ThServer   *ts,
        const char *token,
        const char *body)
{
  g_autoptr(ThResponse) r = th_request (ts, "PATCH", "/auth/me", token, body);
  g_assert_cmpuint (r->status, ==, 200);
}

/* An organization with an admin, two experts (Erika: German, Berlin; the
 * second: English, UTC), a student (Jean: French, New York), a group and a
 * session type of Erika's. */
static void
world_init (World    *w,
            ThServer *ts,
            const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *admin_mail = g_strdup_printf ("%s-admin@example.org", prefix);
  g_autofree char *expert_mail = g_strdup_printf ("%s-erika@example.org", prefix);
  g_autofree char *expert2_mail = g_strdup_printf ("%s-sam@example.org", prefix);
  g_autofree char *student_mail = g_strdup_printf ("%s-jean@example.org", prefix);

  memset (w, 0, sizeof *w);
  w->ts = ts;
  w->admin = th_register_admin (ts, admin_mail, prefix, &w->admin_id);
  w->expert = th_add_user (ts, w->admin, expert_mail, "expert", &w->expert_id);
  w->expert2 = th_add_user (ts, w->admin, expert2_mail, "expert", &w->expert2_id);
  w->student = th_add_user (ts, w->admin, student_mail, "student", &w->student_id);
  set_me (ts, w->expert, "{\"name\":\"Erika Muster\",\"language\":\"de\",\"time_zone\":\"Europe/Berlin\"}");
  set_me (ts, w->student, "{\"name\":\"Jean Dupont\",\"language\":\"fr\",\"time_zone\":\"America/New_York\"}");

  g_autoptr(ThResponse) me = th_request (ts, "GET", "/auth/me", w->admin, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  w->org_id = g_strdup (th_json_str (me, "organization_id"));
  g_assert_nonnull (w->org_id);
  g_autoptr(ThResponse) group = th_request (ts, "POST", "/groups", w->expert, "{\"name\":\"Lauftreff\"}");
  g_assert_cmpuint (group->status, ==, 201);
  w->group_id = g_strdup (th_json_str (group, "id"));

  w->type_id = g_uuid_string_random ();
  g_autoptr(SdDbConn) conn = world_db (w);
  gint64 now = now_s ();
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, w->org_id, &error));
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "INSERT INTO coaching_session_types (id, org_id, group_id, expert_id, name,"
                               " description, duration_minutes, active, created_at, updated_at)"
                               " VALUES ($1, $2, $3, $4, 'Lauftraining', '', 45, $5, $6, $6)",
                               "ssssbi", w->type_id, w->org_id, w->group_id, w->expert_id, TRUE, now),
                   ==, 1);
  g_assert_true (sd_db_commit (conn, &error));
  g_assert_no_error (error);
}

static void
world_clear (World *w)
{
  g_free (w->admin); g_free (w->expert); g_free (w->student); g_free (w->expert2);
  g_free (w->admin_id); g_free (w->expert_id); g_free (w->student_id); g_free (w->expert2_id);
  g_free (w->org_id); g_free (w->group_id); g_free (w->type_id);
}

/* A booking row of @expert_id with Jean, as the booking route writes it. */
static char *
insert_booking (World      *w,
                const char *expert_id,
                gint64      start,
                gint64      minutes,
                const char *status,
                const char *notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = world_db (w);
  char *id = g_uuid_string_random ();
  gint64 end = start + minutes * 60;

  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, w->org_id, &error));
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "INSERT INTO coaching_bookings (id, org_id, group_id, session_type_id, expert_id,"
                               " student_id, start_at, end_at, block_start, block_end, status, notes,"
                               " sequence, created_at, updated_at)"
                               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9, $10, 0, $11, $11)",
                               "ssssssiissi", id, w->org_id, w->group_id, w->type_id, expert_id, w->student_id,
                               start, end, status, notes, now_s ()),
                   ==, 1);
  g_assert_true (sd_db_commit (conn, &error));
  g_assert_no_error (error);
  return id;
}

static void
exec_in_org (World      *w,
             const char *sql,
             const char *fmt,
             const char *a,
             gint64      b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = world_db (w);
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, w->org_id, &error));
  gint64 changed = sd_db_exec (conn, &error, sql, fmt, a, b);
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, 1);
  g_assert_true (sd_db_commit (conn, &error));
}

static char *
insert_reminder (World      *w,
                 const char *booking_id,
                 const char *kind,
                 gint64      due)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = world_db (w);
  char *id = g_uuid_string_random ();
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, w->org_id, &error));
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "INSERT INTO coaching_reminders (id, org_id, booking_id, kind, due_at)"
                               " VALUES ($1, $2, $3, $4, $5)",
                               "ssssi", id, w->org_id, booking_id, kind, due),
                   ==, 1);
  g_assert_true (sd_db_commit (conn, &error));
  g_assert_no_error (error);
  return id;
}

static gint64
count_in_org (World      *w,
              const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = world_db (w);
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, w->org_id, &error));
  g_autoptr(SdDbRows) rows = sd_db_query (conn, &error, sql, "s", w->org_id);
  g_assert_no_error (error);
  sd_db_rollback (conn);
  return sd_db_rows_int (rows, 0, "n");
}

/* Queues the e-mails of @kind about @booking_id as the booking handlers
 * do: in the organization's write transaction, the outbox woken after. */
static void
queue_mail (World              *w,
            const char         *booking_id,
            SdCoachingMailKind  kind,
            const char         *reason,
            gint64              previous_start)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = world_db (w);
  SdCoachingMail mail = { .kind = kind, .reason = reason, .previous_start = previous_start };
  guint queued = 0;

  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, w->org_id, &error));
  g_assert_true (sd_coaching_mail_queue (conn, w->org_id, booking_id, &mail, now_s (), &queued, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (queued, ==, 2);
  g_assert_true (sd_db_commit (conn, &error));
  sd_server_kick_outbox (w->ts->server);
}

/* Waits for exactly @count new messages in the spool of @ts and takes them
 * out (file contents, in name order). */
static GPtrArray *
take_mails (ThServer *ts,
            guint     count)
{
  g_autoptr(GPtrArray) files = th_spool_wait (ts, count, 15000);
  g_assert_cmpuint (files->len, ==, count);
  GPtrArray *mails = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < files->len; i++)
    {
      char *contents = NULL;
      g_assert_true (g_file_get_contents (files->pdata[i], &contents, NULL, NULL));
      g_ptr_array_add (mails, contents);
      g_unlink (files->pdata[i]);
    }
  return mails;
}

/* The message among @mails addressed to @address. */
static const char *
mail_to (GPtrArray  *mails,
         const char *address)
{
  const char *found = NULL;
  for (guint i = 0; i < mails->len; i++)
    {
      g_autofree char *to = th_mail_get_header (mails->pdata[i], "To");
      if (to != NULL && strstr (to, address) != NULL)
        {
          g_assert_null (found);   /* one each */
          found = mails->pdata[i];
        }
    }
  if (found == NULL)
    g_error ("no e-mail to %s", address);
  return found;
}

static char *
email_of (const char *prefix,
          const char *who)
{
  return g_strdup_printf ("%s-%s@example.org", prefix, who);
}

/* The .ics attached to @mail: the file part, checked to be the same as the
 * calendar alternative of the body, with the type calendar programs need. */
static char *
invitation_of (const char *mail,
               const char *method)
{
  g_autoptr(GPtrArray) parts = th_mail_get_parts (mail);
  GBytes *inline_part = NULL, *file_part = NULL;
  g_autofree char *want_type = g_strdup_printf ("text/calendar; method=%s", method);

  for (guint i = 0; i < parts->len; i++)
    {
      ThMailPart *part = g_ptr_array_index (parts, i);
      if (!g_str_equal (part->mime_type, "text/calendar"))
        continue;
      g_assert_true (g_str_has_prefix (part->content_type, want_type));
      g_assert_nonnull (strstr (part->content_type, "charset=utf-8"));
      if (part->disposition == NULL)
        {
          g_assert_cmpstr (part->parent, ==, "multipart/alternative");
          inline_part = part->body;
        }
      else
        {
          g_assert_cmpstr (part->parent, ==, "multipart/mixed");
          g_assert_nonnull (strstr (part->disposition, g_str_equal (method, "CANCEL") ? "cancel.ics" : "invite.ics"));
          file_part = part->body;
        }
    }
  g_assert_nonnull (inline_part);
  g_assert_nonnull (file_part);
  g_assert_true (g_bytes_equal (inline_part, file_part));
  return g_strndup (g_bytes_get_data (file_part, NULL), g_bytes_get_size (file_part));
}

/* Checks the invitation of @booking_id in @ics. */
static void
check_ics (const char *ics,
           const char *method,
           const char *booking_id,
           gint64      start,
           gint64      end,
           gint64      sequence,
           const char *status,
           const char *summary)
{
  g_auto(GStrv) lines = th_ics_lines (ics);
  g_autofree char *uid = g_strdup_printf ("booking-%s@tandem", booking_id);
  g_autoptr(GDateTime) s = g_date_time_new_from_unix_utc (start);
  g_autofree char *dtstart = g_date_time_format (s, "%Y%m%dT%H%M%SZ");
  g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, sequence);

  g_assert_cmpstr (lines[0], ==, "BEGIN:VCALENDAR");
  g_assert_cmpstr (th_ics_value (lines, "METHOD", 0), ==, method);
  g_assert_cmpuint (th_ics_count (lines, "UID"), ==, 1);
  g_assert_cmpstr (th_ics_value (lines, "UID", 0), ==, uid);
  g_assert_cmpstr (th_ics_value (lines, "DTSTART", 0), ==, dtstart);
  g_assert_cmpstr (th_ics_value (lines, "SEQUENCE", 0), ==, seq);
  g_assert_cmpstr (th_ics_value (lines, "STATUS", 0), ==, status);
  if (summary != NULL)
    g_assert_cmpstr (th_ics_value (lines, "SUMMARY", 0), ==, summary);

  /* What a real parser makes of it. */
  g_autoptr(JsonObject) real = th_ics_parse_real (ics);
  if (real == NULL)
    {
      g_test_message ("python3-icalendar is not installed: no check with a real parser");
      return;
    }
  g_assert_cmpstr (json_object_get_string_member (real, "method"), ==, method);
  JsonArray *events = json_object_get_array_member (real, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 1);
  JsonObject *e = json_array_get_object_element (events, 0);
  g_assert_cmpstr (json_object_get_string_member (e, "uid"), ==, uid);
  g_assert_cmpint (json_object_get_int_member (e, "start"), ==, start);
  g_assert_cmpint (json_object_get_int_member (e, "end"), ==, end);
  g_assert_true (json_object_get_boolean_member (e, "utc"));
  g_assert_cmpint (json_object_get_int_member (e, "sequence"), ==, sequence);
  g_assert_cmpstr (json_object_get_string_member (e, "status"), ==, status);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (e, "organizer"), "mailto:"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (e, "attendees")), ==, 2);
}

static void
tweak_no_reminders (SdConfig *config,
                    gpointer  data)
{
  config->reminders = FALSE;
}

/* ---- e-mails ---- */

static void
test_mails_spool (void)
{
  ThServer *ts = th_server_start_full (tweak_no_reminders, NULL);
  World w;
  world_init (&w, ts, "spool");
  g_autofree char *erika = email_of ("spool", "erika");
  g_autofree char *jean = email_of ("spool", "jean");
  gint64 start = JULY_1_2030_NOON, end = start + 45 * 60;
  g_autofree char *booking = insert_booking (&w, w.expert_id, start, 45, "booked", "Bitte Laufschuhe mitbringen");

  /* Booked: each in their own language and zone, with an invitation. */
  queue_mail (&w, booking, SD_COACHING_MAIL_BOOKED, NULL, 0);
  g_autoptr(GPtrArray) booked = take_mails (ts, 2);
  const char *to_erika = mail_to (booked, erika);
  const char *to_jean = mail_to (booked, jean);

  g_autofree char *subject_de = th_mail_get_header (to_erika, "Subject");
  g_assert_cmpstr (subject_de, ==, "Sitzung gebucht: Lauftraining mit Jean Dupont, Montag, 1. Juli 2030, 14:00");
  g_autofree char *text_de = th_mail_get_text (to_erika, "text/plain");
  g_assert_true (g_str_has_prefix (text_de, "Hallo Erika Muster,\n\nJean Dupont hat eine Sitzung bei Ihnen gebucht.\n"));
  g_assert_nonnull (strstr (text_de, "Montag, 1. Juli 2030, 14:00–14:45 (Europe/Berlin)"));
  g_assert_nonnull (strstr (text_de, "Notizen: Bitte Laufschuhe mitbringen\n"));
  g_assert_nonnull (strstr (text_de, "Gruppe: Lauftreff\n"));

  g_autofree char *subject_fr = th_mail_get_header (to_jean, "Subject");
  g_assert_cmpstr (subject_fr, ==, "Séance réservée : Lauftraining avec Erika Muster, lundi 1er juillet 2030, 08:00");
  g_autofree char *text_fr = th_mail_get_text (to_jean, "text/plain");
  g_assert_true (g_str_has_prefix (text_fr, "Bonjour Jean Dupont,\n\nVotre séance avec Erika Muster est réservée.\n"));
  g_assert_nonnull (strstr (text_fr, "lundi 1er juillet 2030, 08:00–08:45 (America/New_York)"));

  g_autofree char *ics_de = invitation_of (to_erika, "REQUEST");
  check_ics (ics_de, "REQUEST", booking, start, end, 0, "CONFIRMED", "Lauftraining mit Jean Dupont");
  g_autofree char *ics_fr = invitation_of (to_jean, "REQUEST");
  check_ics (ics_fr, "REQUEST", booking, start, end, 0, "CONFIRMED", "Lauftraining avec Erika Muster");

  /* Moved a day on: the same UID, the next SEQUENCE, the old time named. */
  gint64 moved = start + 24 * 3600;
  exec_in_org (&w, "UPDATE coaching_bookings SET start_at = start_at + 86400, end_at = end_at + 86400,"
                   " block_start = block_start + 86400, block_end = block_end + 86400, sequence = 1"
                   " WHERE id = $1", "s", booking, 0);
  queue_mail (&w, booking, SD_COACHING_MAIL_RESCHEDULED, NULL, start);
  g_autoptr(GPtrArray) rescheduled = take_mails (ts, 2);
  to_erika = mail_to (rescheduled, erika);
  to_jean = mail_to (rescheduled, jean);
  g_autofree char *moved_subject = th_mail_get_header (to_erika, "Subject");
  g_assert_cmpstr (moved_subject, ==, "Sitzung verschoben: Lauftraining mit Jean Dupont, jetzt Dienstag, 2. Juli 2030, 14:00");
  g_autofree char *moved_text = th_mail_get_text (to_erika, "text/plain");
  g_assert_nonnull (strstr (moved_text, "Sie war für Montag, 1. Juli 2030, 14:00 geplant."));
  g_assert_nonnull (strstr (moved_text, "Dienstag, 2. Juli 2030, 14:00–14:45 (Europe/Berlin)"));
  g_autofree char *moved_fr = th_mail_get_text (to_jean, "text/plain");
  g_assert_nonnull (strstr (moved_fr, "mardi 2 juillet 2030, 08:00–08:45 (America/New_York)"));
  g_autofree char *ics_moved = invitation_of (to_jean, "REQUEST");
  check_ics (ics_moved, "REQUEST", booking, moved, moved + 2700, 1, "CONFIRMED", NULL);

  /* Cancelled by the student with a reason: METHOD:CANCEL, same UID. */
  exec_in_org (&w, "UPDATE coaching_bookings SET status = 'cancelled', cancelled_by = $1, cancel_reason = 'Krank',"
                   " cancelled_at = $2, sequence = 2 WHERE student_id = $1", "si", w.student_id, now_s ());
  queue_mail (&w, booking, SD_COACHING_MAIL_CANCELLED, "Krank", 0);
  g_autoptr(GPtrArray) cancelled = take_mails (ts, 2);
  to_erika = mail_to (cancelled, erika);
  to_jean = mail_to (cancelled, jean);
  g_autofree char *cancel_de = th_mail_get_text (to_erika, "text/plain");
  g_assert_nonnull (strstr (cancel_de, "Jean Dupont hat Ihre Sitzung abgesagt.\n"));
  g_assert_nonnull (strstr (cancel_de, "Grund: Krank\n"));
  g_autofree char *cancel_fr = th_mail_get_text (to_jean, "text/plain");
  g_assert_nonnull (strstr (cancel_fr, "Vous avez annulé cette séance.\n"));
  g_autofree char *cancel_subject = th_mail_get_header (to_jean, "Subject");
  g_assert_true (g_str_has_prefix (cancel_subject, "Séance annulée : Lauftraining avec Erika Muster, "));
  g_autofree char *ics_cancel = invitation_of (to_erika, "CANCEL");
  check_ics (ics_cancel, "CANCEL", booking, moved, moved + 2700, 2, "CANCELLED", NULL);

  world_clear (&w);
  th_server_stop (ts);
}

static void
use_smtp (SdConfig *config,
          gpointer  data)
{
  config->reminders = FALSE;
  g_free (config->smtp_url);
  config->smtp_url = th_smtp_get_url (data);
}

static void
test_mails_smtp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ThSmtp) smtp = th_smtp_start (&error);
  g_assert_no_error (error);
  ThServer *ts = th_server_start_full (use_smtp, smtp);
  World w;
  world_init (&w, ts, "smtp");
  g_autofree char *erika = email_of ("smtp", "erika");
  g_autofree char *jean = email_of ("smtp", "jean");
  gint64 start = JULY_1_2030_NOON;
  g_autofree char *booking = insert_booking (&w, w.expert_id, start, 45, "booked", "");

  queue_mail (&w, booking, SD_COACHING_MAIL_BOOKED, NULL, 0);
  g_assert_true (th_smtp_wait (smtp, 2, 15000));
  g_assert_cmpuint (th_smtp_count (smtp), ==, 2);
  gboolean seen_erika = FALSE, seen_jean = FALSE;
  for (guint i = 0; i < 2; i++)
    {
      ThSmtpMessage *msg = th_smtp_get (smtp, i);
      g_assert_cmpuint (g_strv_length (msg->rcpt), ==, 1);
      gboolean is_erika = g_str_equal (msg->rcpt[0], erika);
      g_assert_true (is_erika || g_str_equal (msg->rcpt[0], jean));
      seen_erika |= is_erika;
      seen_jean |= !is_erika;
      g_autofree char *ics = invitation_of (msg->data, "REQUEST");
      check_ics (ics, "REQUEST", booking, start, start + 2700, 0, "CONFIRMED",
                 is_erika ? "Lauftraining mit Jean Dupont" : "Lauftraining avec Erika Muster");
      g_autofree char *text = th_mail_get_text (msg->data, "text/plain");
      g_assert_nonnull (strstr (text, is_erika ? "14:00–14:45 (Europe/Berlin)" : "08:00–08:45 (America/New_York)"));
    }
  g_assert_true (seen_erika && seen_jean);

  world_clear (&w);
  th_server_stop (ts);
}

static void
test_format_time (void)
{
  gint64 start = JULY_1_2030_NOON, end = start + 45 * 60;
  g_autofree char *de = sd_coaching_mail_format_time (start, end, TRUE, "de", "Europe/Berlin");
  g_assert_cmpstr (de, ==, "Montag, 1. Juli 2030, 14:00–14:45 (Europe/Berlin)");
  g_autofree char *fr = sd_coaching_mail_format_time (start, end, TRUE, "fr", "America/New_York");
  g_assert_cmpstr (fr, ==, "lundi 1er juillet 2030, 08:00–08:45 (America/New_York)");
  /* "1er" on the first only */
  g_autofree char *fr2 = sd_coaching_mail_format_time (start + 86400, end + 86400, FALSE, "fr", "America/New_York");
  g_assert_cmpstr (fr2, ==, "mardi 2 juillet 2030, 08:00");
  g_autofree char *en = sd_coaching_mail_format_time (start, end, FALSE, "en", "Asia/Kolkata");
  g_assert_cmpstr (en, ==, "Monday, 1 July 2030, 17:30");
  /* An unknown zone reads as UTC. */
  g_autofree char *unknown = sd_coaching_mail_format_time (start, end, TRUE, "en", "Mars/Olympus");
  g_assert_cmpstr (unknown, ==, "Monday, 1 July 2030, 12:00–12:45 (UTC)");
  /* Across the spring change in Berlin (31 March 2030, 01:00 UTC). */
  gint64 before = G_GINT64_CONSTANT (1901147400);  /* 00:30 UTC */
  g_autofree char *dst = sd_coaching_mail_format_time (before, before + 3600, TRUE, "de", "Europe/Berlin");
  g_assert_cmpstr (dst, ==, "Sonntag, 31. März 2030, 01:30–03:30 (Europe/Berlin)");
}

/* ---- reminders ---- */

static void
test_reminders_once (void)
{
  g_autoptr(GError) error = NULL;
  ThServer *ts = th_server_start_full (tweak_no_reminders, NULL);
  World w;
  world_init (&w, ts, "once");
  g_autofree char *erika = email_of ("once", "erika");
  g_autofree char *jean = email_of ("once", "jean");
  gint64 now = now_s ();

  /* a: due 15 min reminder; b: 24 h and 1 h both due (after downtime):
   * only the 1 h goes; c: cancelled; d: already begun; e: not due yet. */
  g_autofree char *a = insert_booking (&w, w.expert_id, now + 600, 30, "booked", "");
  g_autofree char *b = insert_booking (&w, w.expert_id, now + 3000, 30, "booked", "");
  g_autofree char *c = insert_booking (&w, w.expert_id, now + 7200, 30, "cancelled", "");
  g_autofree char *d = insert_booking (&w, w.expert2_id, now - 60, 30, "booked", "");
  g_autofree char *e = insert_booking (&w, w.expert2_id, now + 3 * 3600, 30, "booked", "");
  g_autofree char *ra = insert_reminder (&w, a, "15m", now + 600 - 900);
  g_autofree char *rb1 = insert_reminder (&w, b, "24h", now + 3000 - 86400);
  g_autofree char *rb2 = insert_reminder (&w, b, "1h", now + 3000 - 3600);
  g_autofree char *rc = insert_reminder (&w, c, "15m", now + 7200 - 7300);
  g_autofree char *rd = insert_reminder (&w, d, "15m", now - 60 - 900);
  g_autofree char *re = insert_reminder (&w, e, "1h", now + 2 * 3600);

  g_autoptr(SdDbConn) conn = world_db (&w);
  SdRemindersResult first = { 0 };
  g_assert_true (sd_reminders_run (ts->server, conn, now, &first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (first.sent, ==, 2);
  g_assert_cmpuint (first.skipped, ==, 3);
  g_autoptr(GPtrArray) mails = take_mails (ts, 4);

  /* The 15-minute reminder of a, in each one's language, no attachment. */
  for (guint i = 0; i < mails->len; i++)
    {
      g_autoptr(GPtrArray) parts = th_mail_get_parts (mails->pdata[i]);
      g_assert_cmpuint (parts->len, ==, 1);
    }
  gboolean seen_15 = FALSE, seen_1h = FALSE;
  for (guint i = 0; i < mails->len; i++)
    {
      g_autofree char *to = th_mail_get_header (mails->pdata[i], "To");
      g_autofree char *text = th_mail_get_text (mails->pdata[i], "text/plain");
      g_autofree char *subject = th_mail_get_header (mails->pdata[i], "Subject");
      if (strstr (to, erika) != NULL)
        {
          g_assert_true (g_str_has_prefix (subject, "Erinnerung: Lauftraining mit Jean Dupont, "));
          if (strstr (text, "Ihre Sitzung mit Jean Dupont beginnt in 15 Minuten.") != NULL)
            seen_15 = TRUE;
          else
            {
              g_assert_nonnull (strstr (text, "Ihre Sitzung mit Jean Dupont beginnt in einer Stunde."));
              seen_1h = TRUE;
            }
        }
      else
        {
          g_assert_nonnull (strstr (to, jean));
          g_assert_true (g_str_has_prefix (subject, "Rappel : Lauftraining avec "));
        }
    }
  g_assert_true (seen_15 && seen_1h);

  /* A second pass (and a restart) sends nothing again. */
  SdRemindersResult second = { 0 };
  g_assert_true (sd_reminders_run (ts->server, conn, now + 1, &second, &error));
  g_assert_cmpuint (second.sent, ==, 0);
  g_assert_cmpuint (second.skipped, ==, 0);
  g_clear_pointer (&conn, sd_db_conn_free);
  th_server_restart (ts);
  conn = world_db (&w);
  g_assert_true (sd_reminders_run (ts->server, conn, now + 2, &second, &error));
  g_assert_cmpuint (second.sent, ==, 0);
  g_usleep (1500 * 1000);
  g_autoptr(GPtrArray) none = th_spool_wait (ts, 1, 0);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpint (count_in_org (&w, "SELECT COUNT(*) AS n FROM coaching_reminders"
                                     " WHERE org_id = $1 AND sent_at IS NULL"), ==, 1);

  /* e's reminder when its time comes. */
  SdRemindersResult later = { 0 };
  g_assert_true (sd_reminders_run (ts->server, conn, now + 2 * 3600, &later, &error));
  g_assert_cmpuint (later.sent, ==, 1);
  g_autoptr(GPtrArray) last = take_mails (ts, 2);
  g_clear_pointer (&conn, sd_db_conn_free);
  g_assert_cmpint (count_in_org (&w, "SELECT COUNT(*) AS n FROM coaching_reminders"
                                     " WHERE org_id = $1 AND sent_at IS NULL"), ==, 0);

  world_clear (&w);
  th_server_stop (ts);
}

static void
tweak_scheduler (SdConfig *config,
                 gpointer  data)
{
  config->reminders = TRUE;
  config->reminder_poll_s = 1;
  config->internal_secret = g_strdup (INTERNAL_SECRET);
}

/* signald's own scheduler: sends on time, and not again after a restart. */
static void
test_reminders_scheduler (void)
{
  ThServer *ts = th_server_start_full (tweak_scheduler, NULL);
  World w;
  world_init (&w, ts, "sched");
  gint64 now = now_s ();

  g_autofree char *a = insert_booking (&w, w.expert_id, now + 900 + 2, 30, "booked", "");
  g_autofree char *ra = insert_reminder (&w, a, "15m", now + 2);
  g_autoptr(GPtrArray) mails = take_mails (ts, 2);
  gint64 arrived = now_s ();
  g_assert_cmpint (arrived, >=, now + 2);
  g_assert_cmpint (arrived, <=, now + 2 + 60);   /* "at most one minute late" */
  g_assert_cmpint (count_in_org (&w, "SELECT COUNT(*) AS n FROM coaching_reminders"
                                     " WHERE org_id = $1 AND sent_at IS NOT NULL"), ==, 1);

  th_server_restart (ts);
  g_autofree char *b = insert_booking (&w, w.expert2_id, now + 900 + 3, 30, "booked", "");
  g_autofree char *rb = insert_reminder (&w, b, "15m", now + 3);
  g_autoptr(GPtrArray) after = take_mails (ts, 2);
  for (guint i = 0; i < after->len; i++)
    {
      g_autofree char *text = th_mail_get_text (after->pdata[i], "text/plain");
      g_assert_nonnull (strstr (text, "expert user"));   /* b's, not a's again */
    }
  g_usleep (2500 * 1000);
  g_autoptr(GPtrArray) none = th_spool_wait (ts, 1, 0);
  g_assert_cmpuint (none->len, ==, 0);

  world_clear (&w);
  th_server_stop (ts);
}

typedef struct {
  ThServer *ts;
  gint64 now;
  guint sent;
} Racer;

/* A scheduler pass on its own connection, three times. */
static gpointer
race_direct (gpointer data)
{
  Racer *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = sd_db_connect (sd_server_get_db (r->ts->server), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      SdRemindersResult result = { 0 };
      g_assert_true (sd_reminders_run (r->ts->server, conn, r->now, &result, &error));
      g_assert_no_error (error);
      r->sent += result.sent;
    }
  return NULL;
}

/* The cron route, three times. */
static gpointer
race_http (gpointer data)
{
  Racer *r = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (r->ts->url, "/internal/coaching/reminders", NULL);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    "Bearer " INTERNAL_SECRET);
      g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                                 (gssize) g_bytes_get_size (body), NULL));
      r->sent += (guint) json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "sent");
    }
  return NULL;
}

static guint
spool_count (ThServer *ts)
{
  g_autoptr(GPtrArray) files = th_spool_wait (ts, 0, 0);
  return files->len;
}

/* Many due reminders, many senders at once: the scheduler threads, direct
 * passes on their own connections, the cron route, and on PostgreSQL a
 * second signald instance on the same database.  Every reminder gives
 * exactly one e-mail to each participant. */
static void
test_reminders_concurrent (void)
{
  enum { N = 30 };
  ThServer *ts = th_server_start_full (tweak_scheduler, NULL);
  /* Two instances share a database only on PostgreSQL (on SQLite the
   * outbox is not claimed, so two instances would each deliver it). */
  ThServer *twin = th_backend_is_postgres () ? th_server_start_twin (ts, tweak_scheduler, NULL) : NULL;
  World w;
  world_init (&w, ts, "race");
  gint64 now = now_s ();

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *b = insert_booking (&w, i % 2 ? w.expert_id : w.expert2_id,
                                           now + 3600 + (gint64) (i / 2) * 3600, 30, "booked", "");
      g_autofree char *r = insert_reminder (&w, b, "1h", now + 1);
    }

  Racer racers[] = {
    { ts, now + 1, 0 }, { ts, now + 1, 0 }, { ts, now + 1, 0 },
    { twin != NULL ? twin : ts, now + 1, 0 }, { twin != NULL ? twin : ts, now + 1, 0 },
  };
  GThread *threads[G_N_ELEMENTS (racers)];
  for (guint i = 0; i < G_N_ELEMENTS (racers); i++)
    threads[i] = g_thread_new ("racer", i % 2 ? race_http : race_direct, &racers[i]);
  guint sent = 0;
  for (guint i = 0; i < G_N_ELEMENTS (racers); i++)
    {
      g_thread_join (threads[i]);
      sent += racers[i].sent;
    }
  g_assert_cmpuint (sent, <=, N);

  /* Wait for all 2 N e-mails across both spools, then a while longer. */
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (spool_count (ts) + (twin != NULL ? spool_count (twin) : 0) < 2 * N &&
         g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_usleep (2500 * 1000);

  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ThServer *servers[] = { ts, twin };
  guint total = 0;
  for (guint s = 0; s < G_N_ELEMENTS (servers) && servers[s] != NULL; s++)
    {
      g_autoptr(GPtrArray) files = th_spool_wait (servers[s], 0, 0);
      for (guint i = 0; i < files->len; i++)
        {
          g_autofree char *contents = NULL;
          g_assert_true (g_file_get_contents (files->pdata[i], &contents, NULL, NULL));
          g_autofree char *to = th_mail_get_header (contents, "To");
          g_autofree char *subject = th_mail_get_header (contents, "Subject");
          /* The subject names the session's start: one per booking. */
          char *key = g_strconcat (to, "|", subject, NULL);
          if (!g_hash_table_add (seen, key))
            g_error ("a second e-mail to %s: %s", to, subject);
          total++;
        }
    }
  g_assert_cmpuint (total, ==, 2 * N);
  g_assert_cmpint (count_in_org (&w, "SELECT COUNT(*) AS n FROM coaching_reminders"
                                     " WHERE org_id = $1 AND sent_at IS NULL"), ==, 0);
  g_assert_cmpint (count_in_org (&w, "SELECT COUNT(*) AS n FROM outbox WHERE org_id = $1"), ==, 2 * N);

  world_clear (&w);
  th_server_stop (twin);
  th_server_stop (ts);
}

/* ---- the cron route ---- */

static void
tweak_secret (SdConfig *config,
              gpointer  data)
{
  config->reminders = FALSE;
  config->internal_secret = g_strdup (data);
}

static ThResponse *
post_internal (ThServer   *ts,
               const char *authorization)
{
  g_autofree char *uri = g_strconcat (ts->url, "/internal/coaching/reminders", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GError) error = NULL;
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  ThResponse *r = g_new0 (ThResponse, 1);
  r->body = soup_session_send_and_read (ts->session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  if (json_parser_load_from_data (parser, g_bytes_get_data (r->body, NULL), (gssize) g_bytes_get_size (r->body), NULL))
    r->json = json_node_copy (json_parser_get_root (parser));
  return r;
}

static void
test_internal_route (void)
{
  /* No secret configured: the route does not exist. */
  ThServer *off = th_server_start_full (tweak_no_reminders, NULL);
  g_autoptr(ThResponse) absent = post_internal (off, "Bearer " INTERNAL_SECRET);
  g_assert_cmpuint (absent->status, ==, 404);
  g_assert_cmpstr (th_json_str (absent, "error.code"), ==, "not_found");
  th_server_stop (off);

  ThServer *ts = th_server_start_full (tweak_secret, (gpointer) INTERNAL_SECRET);
  World w;
  world_init (&w, ts, "cron");
  static const char *const wrong[] = {
    NULL, "", "Bearer", "Bearer ", "Bearer wrong-secret", "Bearer " INTERNAL_SECRET "x",
    "Bearer INTERNAL-SECRET-FOR-TESTS-0123456789", "Basic " INTERNAL_SECRET, INTERNAL_SECRET,
  };
  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(ThResponse) r = post_internal (ts, wrong[i]);
      g_assert_cmpuint (r->status, ==, 401);
      g_assert_cmpstr (th_json_str (r, "error.code"), ==, "unauthorized");
    }
  /* A user's session is not the secret, not even an admin's. */
  g_autofree char *session = g_strconcat ("Bearer ", w.admin, NULL);
  g_autoptr(ThResponse) user = post_internal (ts, session);
  g_assert_cmpuint (user->status, ==, 401);

  g_autoptr(ThResponse) empty = post_internal (ts, "Bearer " INTERNAL_SECRET);
  g_assert_cmpuint (empty->status, ==, 200);
  g_assert_cmpint (th_json_int (empty, "sent"), ==, 0);
  g_assert_cmpint (th_json_int (empty, "skipped"), ==, 0);

  gint64 now = now_s ();
  g_autofree char *b = insert_booking (&w, w.expert_id, now + 600, 30, "booked", "");
  g_autofree char *r = insert_reminder (&w, b, "15m", now - 300);
  g_autoptr(ThResponse) one = post_internal (ts, "bearer  " INTERNAL_SECRET " ");
  g_assert_cmpuint (one->status, ==, 200);
  g_assert_cmpint (th_json_int (one, "sent"), ==, 1);
  g_autoptr(GPtrArray) mails = take_mails (ts, 2);
  g_autoptr(ThResponse) again = post_internal (ts, "Bearer " INTERNAL_SECRET);
  g_assert_cmpint (th_json_int (again, "sent"), ==, 0);

  world_clear (&w);
  th_server_stop (ts);
}

/* ---- the calendar feed ---- */

static char *
feed_path (ThServer   *ts,
           ThResponse *created)
{
  const char *url = th_json_str (created, "url");
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, ts->url));
  g_assert_true (g_regex_match_simple ("^/coaching/feeds/tdf_[A-Za-z0-9_-]{43}\\.ics$", url + strlen (ts->url), 0, 0));
  return g_strdup (url + strlen (ts->url));
}

static char *
get_feed (ThServer   *ts,
          const char *path,
          guint       status)
{
  g_autoptr(ThResponse) r = th_request (ts, "GET", path, NULL, NULL);
  g_assert_cmpuint (r->status, ==, status);
  if (status != 200)
    return NULL;
  const char *type = soup_message_headers_get_content_type (r->headers, NULL);
  g_assert_cmpstr (type, ==, "text/calendar");
  return g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
}

static void
test_feed (void)
{
  g_autoptr(GError) error = NULL;
  ThServer *ts = th_server_start_full (tweak_no_reminders, NULL);
  World w;
  world_init (&w, ts, "feed");
  gint64 now = now_s ();

  g_autofree char *live = insert_booking (&w, w.expert_id, now + 86400, 45, "booked", "");
  g_autofree char *cancelled = insert_booking (&w, w.expert_id, now + 2 * 86400, 45, "cancelled", "");
  g_autofree char *recent = insert_booking (&w, w.expert_id, now - 10 * 86400, 45, "booked", "");
  g_autofree char *old = insert_booking (&w, w.expert_id, now - 200 * 86400, 45, "booked", "");
  g_autofree char *others = insert_booking (&w, w.expert2_id, now + 86400, 45, "booked", "");
  /* Another organization's expert, with a booking at the same time. */
  World far;
  world_init (&far, ts, "far");
  g_autofree char *far_booking = insert_booking (&far, far.expert_id, now + 86400, 45, "booked", "");

  /* Students have no feed; API tokens cannot make one. */
  g_autoptr(ThResponse) student = th_request (ts, "POST", "/coaching/feed", w.student, NULL);
  g_assert_cmpuint (student->status, ==, 403);
  g_autoptr(ThResponse) anonymous = th_request (ts, "POST", "/coaching/feed", NULL, NULL);
  g_assert_cmpuint (anonymous->status, ==, 401);
  g_autoptr(ThResponse) state0 = th_request (ts, "GET", "/coaching/feed", w.expert, NULL);
  g_assert_cmpuint (state0->status, ==, 200);
  g_assert_false (json_node_get_boolean (th_json_at (state0, "active")));

  g_autoptr(ThResponse) created = th_request (ts, "POST", "/coaching/feed", w.expert, NULL);
  g_assert_cmpuint (created->status, ==, 201);
  g_autofree char *path = feed_path (ts, created);
  g_autoptr(ThResponse) state1 = th_request (ts, "GET", "/coaching/feed", w.expert, NULL);
  g_assert_true (json_node_get_boolean (th_json_at (state1, "active")));
  g_assert_nonnull (th_json_str (state1, "created_at"));

  /* The token is stored hashed only. */
  g_autofree char *token = g_strndup (path + strlen ("/coaching/feeds/"), 47);
  g_autoptr(SdDbConn) conn = world_db (&w);
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, w.org_id, &error));
  g_autoptr(SdDbRows) stored = sd_db_query (conn, &error, "SELECT token_hash FROM coaching_feeds WHERE expert_id = $1",
                                            "s", w.expert_id);
  sd_db_rollback (conn);
  g_clear_pointer (&conn, sd_db_conn_free);
  g_assert_cmpuint (sd_db_rows_n (stored), ==, 1);
  g_assert_cmpstr (sd_db_rows_text (stored, 0, "token_hash"), !=, token);
  g_assert_cmpuint (strlen (sd_db_rows_text (stored, 0, "token_hash")), ==, 64);

  /* Only Erika's bookings of the last 90 days and later; the cancelled one
   * marked so. */
  g_autofree char *ics = get_feed (ts, path, 200);
  g_auto(GStrv) lines = th_ics_lines (ics);
  g_assert_cmpstr (th_ics_value (lines, "METHOD", 0), ==, "PUBLISH");
  g_assert_cmpstr (th_ics_value (lines, "X-WR-CALNAME", 0), ==, "Tandem-Sitzungen von Erika Muster");
  g_assert_cmpuint (th_ics_count (lines, "UID"), ==, 3);
  g_autofree char *uid_live = g_strdup_printf ("booking-%s@tandem", live);
  g_autofree char *uid_cancelled = g_strdup_printf ("booking-%s@tandem", cancelled);
  g_autofree char *uid_recent = g_strdup_printf ("booking-%s@tandem", recent);
  g_assert_cmpstr (th_ics_value (lines, "UID", 0), ==, uid_recent);
  g_assert_cmpstr (th_ics_value (lines, "UID", 1), ==, uid_live);
  g_assert_cmpstr (th_ics_value (lines, "UID", 2), ==, uid_cancelled);
  g_assert_cmpstr (th_ics_value (lines, "STATUS", 1), ==, "CONFIRMED");
  g_assert_cmpstr (th_ics_value (lines, "STATUS", 2), ==, "CANCELLED");
  g_assert_cmpstr (th_ics_value (lines, "SUMMARY", 1), ==, "Lauftraining mit Jean Dupont");
  for (const char *const *id = (const char *const[]) { old, others, far_booking, NULL }; *id != NULL; id++)
    g_assert_null (strstr (ics, *id));
  g_autoptr(JsonObject) real = th_ics_parse_real (ics);
  if (real != NULL)
    {
      g_assert_cmpstr (json_object_get_string_member (real, "method"), ==, "PUBLISH");
      g_assert_cmpstr (json_object_get_string_member (real, "name"), ==, "Tandem-Sitzungen von Erika Muster");
      JsonArray *events = json_object_get_array_member (real, "events");
      g_assert_cmpuint (json_array_get_length (events), ==, 3);
      JsonObject *e = json_array_get_object_element (events, 1);
      g_assert_cmpstr (json_object_get_string_member (e, "uid"), ==, uid_live);
      g_assert_cmpint (json_object_get_int_member (e, "start"), ==, now + 86400);
    }

  /* The other expert's feed has only the other expert's booking. */
  g_autoptr(ThResponse) created2 = th_request (ts, "POST", "/coaching/feed", w.expert2, NULL);
  g_assert_cmpuint (created2->status, ==, 201);
  g_autofree char *path2 = feed_path (ts, created2);
  g_autofree char *ics2 = get_feed (ts, path2, 200);
  g_auto(GStrv) lines2 = th_ics_lines (ics2);
  g_assert_cmpuint (th_ics_count (lines2, "UID"), ==, 1);
  g_assert_nonnull (strstr (ics2, others));
  g_assert_null (strstr (ics2, live));
  g_assert_cmpstr (th_ics_value (lines2, "X-WR-CALNAME", 0), ==, "Tandem sessions of expert user");

  /* Unknown tokens and names. */
  g_autofree char *missing = get_feed (ts, "/coaching/feeds/tdf_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", 404);
  g_autofree char *no_suffix = g_strndup (path, strlen (path) - 4);
  g_autofree char *bare = get_feed (ts, no_suffix, 404);
  g_autofree char *other_name = get_feed (ts, "/coaching/feeds/feed.ics", 404);

  /* A new URL replaces the old one. */
  g_autoptr(ThResponse) rotated = th_request (ts, "POST", "/coaching/feed", w.expert, NULL);
  g_assert_cmpuint (rotated->status, ==, 201);
  g_autofree char *new_path = feed_path (ts, rotated);
  g_assert_cmpstr (new_path, !=, path);
  g_autofree char *gone = get_feed (ts, path, 404);
  g_autofree char *fresh = get_feed (ts, new_path, 200);

  /* Revoked: no URL works, the other expert's still does. */
  g_autoptr(ThResponse) revoked = th_request (ts, "DELETE", "/coaching/feed", w.expert, NULL);
  g_assert_cmpuint (revoked->status, ==, 204);
  g_autofree char *after = get_feed (ts, new_path, 404);
  g_autoptr(ThResponse) state2 = th_request (ts, "GET", "/coaching/feed", w.expert, NULL);
  g_assert_false (json_node_get_boolean (th_json_at (state2, "active")));
  g_autofree char *still = get_feed (ts, path2, 200);

  world_clear (&far);
  world_clear (&w);
  th_server_stop (ts);
}

/* ---- through the booking routes ---- */

#define ALWAYS_UTC "{\"time_zone\":\"UTC\",\"windows\":[" \
  "{\"day_of_week\":0,\"start\":\"00:00\",\"end\":\"24:00\"},{\"day_of_week\":1,\"start\":\"00:00\",\"end\":\"24:00\"}," \
  "{\"day_of_week\":2,\"start\":\"00:00\",\"end\":\"24:00\"},{\"day_of_week\":3,\"start\":\"00:00\",\"end\":\"24:00\"}," \
  "{\"day_of_week\":4,\"start\":\"00:00\",\"end\":\"24:00\"},{\"day_of_week\":5,\"start\":\"00:00\",\"end\":\"24:00\"}," \
  "{\"day_of_week\":6,\"start\":\"00:00\",\"end\":\"24:00\"}]}"

static char *
iso (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* The due times of @booking_id's unsent reminders, "24h=…,1h=…,15m=…" in
 * that order. */
static char *
planned_reminders (World      *w,
                   const char *booking_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = world_db (w);
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, w->org_id, &error));
  g_autoptr(SdDbRows) rows = sd_db_query (conn, &error,
    "SELECT kind, due_at FROM coaching_reminders WHERE booking_id = $1 AND sent_at IS NULL"
    " ORDER BY due_at", "s", booking_id);
  g_assert_no_error (error);
  sd_db_rollback (conn);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < sd_db_rows_n (rows); i++)
    g_string_append_printf (out, "%s%s=%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            sd_db_rows_text (rows, i, "kind"), sd_db_rows_int (rows, i, "due_at"));
  return g_string_free (out, FALSE);
}

/* Book, move and cancel through the routes of sd-api-bookings.c: each
 * sends both participants their e-mail with the invitation, and the
 * reminders follow the booking. */
static void
test_bookings_flow (void)
{
  ThServer *ts = th_server_start_full (tweak_no_reminders, NULL);
  World w;
  world_init (&w, ts, "flow");
  g_autofree char *erika = email_of ("flow", "erika");
  g_autofree char *jean = email_of ("flow", "jean");
  th_join_group (ts, w.expert, w.group_id, jean, w.student);
  g_autoptr(GPtrArray) invitation = take_mails (ts, 1);   /* the group's invitation */

  g_autofree char *availability = g_strdup_printf ("/groups/%s/coaching/availability", w.group_id);
  g_autoptr(ThResponse) set = th_request (ts, "PUT", availability, w.expert, ALWAYS_UTC);
  g_assert_cmpuint (set->status, ==, 200);
  g_autofree char *types = g_strdup_printf ("/groups/%s/coaching/session-types", w.group_id);
  g_autoptr(ThResponse) type = th_request (ts, "POST", types, w.expert,
                                           "{\"name\":\"Techniktraining\",\"duration_minutes\":45}");
  g_assert_cmpuint (type->status, ==, 201);

  /* Booked a little more than a day ahead: all three reminders planned. */
  gint64 start = (now_s () / 3600 + 26) * 3600;
  g_autofree char *start_text = iso (start);
  g_autofree char *bookings = g_strdup_printf ("/groups/%s/coaching/bookings", w.group_id);
  g_autoptr(ThResponse) booked = th_requestf (ts, "POST", bookings, w.student,
                                              "{\"session_type_id\":\"%s\",\"start\":\"%s\",\"notes\":\"Knie\"}",
                                              th_json_str (type, "id"), start_text);
  g_assert_cmpuint (booked->status, ==, 201);
  g_autofree char *id = g_strdup (th_json_str (booked, "id"));
  g_autoptr(GPtrArray) invitations = take_mails (ts, 2);
  g_autofree char *ics_expert = invitation_of (mail_to (invitations, erika), "REQUEST");
  check_ics (ics_expert, "REQUEST", id, start, start + 2700, 0, "CONFIRMED", "Techniktraining mit Jean Dupont");
  g_autofree char *ics_student = invitation_of (mail_to (invitations, jean), "REQUEST");
  check_ics (ics_student, "REQUEST", id, start, start + 2700, 0, "CONFIRMED", "Techniktraining avec Erika Muster");
  g_autofree char *text = th_mail_get_text (mail_to (invitations, erika), "text/plain");
  g_assert_nonnull (strstr (text, "Notizen: Knie\n"));
  g_autofree char *plan = planned_reminders (&w, id);
  g_autofree char *want = g_strdup_printf ("24h=%" G_GINT64_FORMAT ",1h=%" G_GINT64_FORMAT ",15m=%" G_GINT64_FORMAT,
                                           start - 86400, start - 3600, start - 900);
  g_assert_cmpstr (plan, ==, want);

  /* Moved by the expert, two hours on: SEQUENCE 1, reminders moved along. */
  gint64 moved = start + 2 * 3600;
  g_autofree char *moved_text = iso (moved);
  g_autofree char *reschedule = g_strdup_printf ("%s/%s/reschedule", bookings, id);
  g_autoptr(ThResponse) r = th_requestf (ts, "POST", reschedule, w.expert, "{\"start\":\"%s\"}", moved_text);
  g_assert_cmpuint (r->status, ==, 200);
  g_autoptr(GPtrArray) updates = take_mails (ts, 2);
  g_autofree char *ics_moved = invitation_of (mail_to (updates, jean), "REQUEST");
  check_ics (ics_moved, "REQUEST", id, moved, moved + 2700, 1, "CONFIRMED", NULL);
  g_autofree char *moved_subject = th_mail_get_header (mail_to (updates, erika), "Subject");
  g_assert_true (g_str_has_prefix (moved_subject, "Sitzung verschoben: Techniktraining mit Jean Dupont, jetzt "));
  g_autofree char *replanned = planned_reminders (&w, id);
  g_autofree char *want_moved = g_strdup_printf ("24h=%" G_GINT64_FORMAT ",1h=%" G_GINT64_FORMAT ",15m=%" G_GINT64_FORMAT,
                                                 moved - 86400, moved - 3600, moved - 900);
  g_assert_cmpstr (replanned, ==, want_moved);

  /* Cancelled by the student: METHOD:CANCEL with SEQUENCE 2, no reminders left. */
  g_autofree char *cancel = g_strdup_printf ("%s/%s/cancel", bookings, id);
  g_autoptr(ThResponse) c = th_request (ts, "POST", cancel, w.student, "{\"reason\":\"Erkältet\"}");
  g_assert_cmpuint (c->status, ==, 200);
  g_autoptr(GPtrArray) cancellations = take_mails (ts, 2);
  g_autofree char *ics_cancel = invitation_of (mail_to (cancellations, erika), "CANCEL");
  check_ics (ics_cancel, "CANCEL", id, moved, moved + 2700, 2, "CANCELLED", NULL);
  g_autofree char *cancel_text = th_mail_get_text (mail_to (cancellations, erika), "text/plain");
  g_assert_nonnull (strstr (cancel_text, "Jean Dupont hat Ihre Sitzung abgesagt.\n"));
  g_assert_nonnull (strstr (cancel_text, "Grund: Erkältet\n"));
  g_autofree char *none = planned_reminders (&w, id);
  g_assert_cmpstr (none, ==, "");

  world_clear (&w);
  th_server_stop (ts);
}

static void
tweak_log (SdConfig *config,
           gpointer  data)
{
  config->reminders = FALSE;
  config->log_requests = TRUE;
}

/* The request log (stdout) names the feed route, never its token. */
static void
test_feed_log (void)
{
  g_autofree char *log_path = NULL;
  int log_fd = g_file_open_tmp ("feed-log-XXXXXX", &log_path, NULL);
  g_assert_cmpint (log_fd, >=, 0);
  fflush (stdout);
  int saved_stdout = dup (STDOUT_FILENO);
  g_assert_cmpint (dup2 (log_fd, STDOUT_FILENO), ==, STDOUT_FILENO);

  ThServer *ts = th_server_start_full (tweak_log, NULL);
  World w;
  world_init (&w, ts, "log");
  g_autoptr(ThResponse) created = th_request (ts, "POST", "/coaching/feed", w.expert, NULL);
  g_autofree char *path = feed_path (ts, created);
  g_autofree char *ics = get_feed (ts, path, 200);
  g_autofree char *wrong = get_feed (ts, "/coaching/feeds/tdf_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB.ics", 404);
  world_clear (&w);
  th_server_stop (ts);   /* flushes the log */

  fflush (stdout);
  g_assert_cmpint (dup2 (saved_stdout, STDOUT_FILENO), ==, STDOUT_FILENO);
  close (saved_stdout);
  close (log_fd);
  g_autofree char *log = NULL;
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  g_unlink (log_path);
  g_assert_null (strstr (log, "tdf_"));
  g_assert_nonnull (strstr (log, "\"path\":\"/coaching/feeds/{feed_name}\""));
  g_assert_nonnull (strstr (log, "\"path\":\"/coaching/feed\""));
}

int
main (int argc, char *argv[])
{
  th_init (&argc, &argv);
  g_test_add_func ("/Api/coaching-notify/format-time", test_format_time);
  g_test_add_func ("/Api/coaching-notify/mails/spool", test_mails_spool);
  g_test_add_func ("/Api/coaching-notify/mails/smtp", test_mails_smtp);
  g_test_add_func ("/Api/coaching-notify/mails/bookings-flow", test_bookings_flow);
  g_test_add_func ("/Api/coaching-notify/reminders/once", test_reminders_once);
  g_test_add_func ("/Api/coaching-notify/reminders/scheduler", test_reminders_scheduler);
  g_test_add_func ("/Api/coaching-notify/reminders/concurrent", test_reminders_concurrent);
  g_test_add_func ("/Api/coaching-notify/internal-route", test_internal_route);
  g_test_add_func ("/Api/coaching-notify/feed", test_feed);
  g_test_add_func ("/Api/coaching-notify/feed-log", test_feed_log);
  return g_test_run ();
}
