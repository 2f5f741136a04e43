/* sd-api-bookings.c — booked coaching sessions.
 *
 *   POST /groups/{gid}/coaching/bookings                      {"session_type_id","expert_id"?,"start","notes"?}
 *   GET  /groups/{gid}/coaching/bookings                      mine (?role=student|expert; admins:
 *                                                              role=all for everyone's), ?when=upcoming|past|all,
 *                                                              ?status=booked|cancelled)
 *   GET  /groups/{gid}/coaching/bookings/{booking_id}         one
 *   POST /groups/{gid}/coaching/bookings/{booking_id}/cancel      {"reason"}
 *   POST /groups/{gid}/coaching/bookings/{booking_id}/reschedule  {"start"}
 *
 * Who: members of the group book the experts of the group (not
 * themselves).  A booking is seen, cancelled and moved by its student, its
 * expert and the organization's admins; for everybody else it does not
 * exist (404).  The student can cancel or move it no later than the
 * cancellation notice before its start (409 too_late); the expert and
 * admins at any time before it ends.
 *
 * No double booking: the server re-checks the asked start against the
 * expert's free slots (tandem_slots_contains: availability, blocked
 * ranges, other bookings with buffers, minimum notice) inside the write
 * transaction, and the database refuses overlapping blocks of one expert's
 * live bookings — PostgreSQL's exclusion constraint, SQLite's triggers under
 * BEGIN IMMEDIATE — so of two clients racing for one time exactly one gets
 * 201 and the other 409 slot_unavailable.
 *
 * Every change calls sd_coaching_notify() in the same transaction
 * (e-mails and reminders) and counts up "sequence" (iCalendar SEQUENCE). */
#define G_LOG_DOMAIN "sd-api-bookings"

#include "api/sd-api-coaching.h"
#include "api/sd-coaching-notify.h"

/* Turns the database's no-overlap refusal into 409 slot_unavailable. */
static void
map_overlap (GError **error)
{
  if (error != NULL && g_error_matches (*error, SD_DB_ERROR, SD_DB_ERROR_OVERLAP))
    {
      g_clear_error (error);
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_SLOT_UNAVAILABLE,
                           "this time has just been booked; pick another slot");
    }
}

/* Fails with SLOT_UNAVAILABLE unless [@start, @start + @duration) is a free
 * slot of @expert_id in @group_id, not counting @exclude_booking_id.  The
 * expert's buffers are returned for the booking's block. */
static gboolean
require_free_slot (SdRequest   *req,
                   const char  *group_id,
                   const char  *expert_id,
                   gint64       start,
                   int          duration_minutes,
                   const char  *exclude_booking_id,
                   int         *buffer_before,
                   int         *buffer_after,
                   GError     **error)
{
  g_auto(SdCoachingSchedule) schedule = { 0 };
  g_autoptr(GError) local_error = NULL;
  gint64 end = start + (gint64) duration_minutes * 60;

  if (!sd_coaching_schedule_load (req, group_id, expert_id, duration_minutes, start, end,
                                  exclude_booking_id, &schedule, error))
    return FALSE;
  gboolean is_free = tandem_slots_contains (&schedule.query, start, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "cannot check the slot: %s",
                   local_error->message);
      return FALSE;
    }
  if (!is_free)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_SLOT_UNAVAILABLE,
                           "this time is not a free slot of the expert (any more); pick another one");
      return FALSE;
    }
  *buffer_before = schedule.query.buffer_before_minutes;
  *buffer_after = schedule.query.buffer_after_minutes;
  return TRUE;
}

/* Inside the open transaction: booking @id of group @group_id as the caller
 * sees it (its student, its expert, admins), or NOT_FOUND. */
static SdDbRows *
load_booking (SdRequest   *req,
              const char  *group_id,
              const char  *id,
              GError     **error)
{
  SdDbRows *rows = sd_db_query (sd_request_db (req), error,
      SD_COACHING_BOOKING_SELECT " WHERE b.id = $1 AND b.group_id = $2 AND b.org_id = $3",
      "sss", id, group_id, req->auth.org_id);
  if (rows == NULL)
    return NULL;
  if (sd_db_rows_n (rows) != 1 ||
      !(req->auth.role == SD_ROLE_ADMIN ||
        g_strcmp0 (sd_db_rows_text (rows, 0, "student_id"), req->auth.user_id) == 0 ||
        g_strcmp0 (sd_db_rows_text (rows, 0, "expert_id"), req->auth.user_id) == 0))
    {
      sd_db_rows_free (rows);
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such booking");
      return NULL;
    }
  return rows;
}

/* Reloads booking @id, commits and replies. */
static gboolean
reply_booking (SdRequest   *req,
               guint        status,
               const char  *group_id,
               const char  *id,
               GError     **error)
{
  g_autoptr(SdDbRows) rows = load_booking (req, group_id, id, error);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_json (req, status, sd_coaching_booking_json (req, rows, 0));
  return TRUE;
}

/* ---- POST (book) ---- */

static const SdField book_fields[] = {
  { "session_type_id", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, 64 },
  { "expert_id", SD_FIELD_STRING, SD_FIELD_NULLABLE, 0, 64 },
  { "start", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, 64 },
  { "notes", SD_FIELD_STRING, SD_FIELD_NULLABLE, 0, 2000 },
  { NULL }
};

static gboolean
handle_book (SdRequest  *req,
             GError    **error)
{
  SdDbConn *db = sd_request_db (req);
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) type = NULL;
  g_autofree char *id = sd_api_ordered_id ();
  const char *type_id = sd_json_get_string (req->body, "session_type_id");
  const char *asked_expert = sd_json_get_string (req->body, "expert_id");
  const char *notes = sd_json_get_string (req->body, "notes");
  gint64 start = 0, now = sd_request_now (req);
  int before = 0, after = 0;

  if (!sd_coaching_check_uuid (type_id, "session_type_id", error) ||
      (asked_expert != NULL && !sd_coaching_check_uuid (asked_expert, "expert_id", error)) ||
      !sd_coaching_parse_time (sd_json_get_string (req->body, "start"), "start", &start, error) ||
      !sd_coaching_check_text (req->body, "notes", TRUE, error))
    return FALSE;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error))
    return FALSE;
  if (!group.is_member)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                           "only members of the group book its sessions");
      return FALSE;
    }
  if ((type = sd_db_query (db, error,
                           "SELECT expert_id, duration_minutes FROM coaching_session_types"
                           " WHERE id = $1 AND group_id = $2 AND org_id = $3 AND active",
                           "sss", type_id, group.id, req->auth.org_id)) == NULL)
    return FALSE;
  if (sd_db_rows_n (type) != 1)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND,
                           "there is no such session type in this group");
      return FALSE;
    }
  const char *expert = sd_db_rows_text (type, 0, "expert_id");
  int duration = (int) sd_db_rows_int (type, 0, "duration_minutes");
  gint64 end = start + (gint64) duration * 60;
  if (asked_expert != NULL && g_ascii_strcasecmp (asked_expert, expert) != 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                           "this session type belongs to another expert");
      return FALSE;
    }
  if (g_str_equal (expert, req->auth.user_id))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "you cannot book a session with yourself");
      return FALSE;
    }
  if (!sd_coaching_require_expert (req, group.id, expert, error) ||
      !require_free_slot (req, group.id, expert, start, duration, NULL, &before, &after, error))
    return FALSE;
  if (sd_db_exec (db, error,
                  "INSERT INTO coaching_bookings (id, org_id, group_id, session_type_id, expert_id, student_id,"
                  "  start_at, end_at, block_start, block_end, status, notes, sequence, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'booked', $11, 0, $12, $12)",
                  "ssssssiiiisi", id, req->auth.org_id, group.id, type_id, expert, req->auth.user_id,
                  start, end, start - (gint64) before * 60, end + (gint64) after * 60,
                  notes != NULL ? notes : "", now) < 0)
    {
      map_overlap (error);
      return FALSE;
    }
  if (!sd_coaching_notify (req, id, SD_COACHING_BOOKED, NULL, 0, error))
    return FALSE;
  return reply_booking (req, 201, group.id, id, error);
}

/* ---- GET list ---- */

static JsonObject *
booking_item (SdRequest *req, SdDbRows *rows, guint i, gpointer data)
{
  return sd_coaching_booking_json (req, rows, i);
}

#define LIST_WHERE \
  " WHERE b.group_id = $1 AND b.org_id = $2" \
  "   AND ((b.student_id = $3 AND $4) OR (b.expert_id = $3 AND $5) OR $13)" \
  "   AND (b.status = $6 OR $7) AND b.end_at > $8 AND b.end_at <= $9"
#define LIST_FORWARD \
  LIST_WHERE " AND (b.start_at > $10 OR (b.start_at = $10 AND b.id > $11))" \
  " ORDER BY b.start_at, b.id LIMIT $12"
#define LIST_BACKWARD \
  LIST_WHERE " AND (b.start_at < $10 OR (b.start_at = $10 AND b.id < $11))" \
  " ORDER BY b.start_at DESC, b.id DESC LIMIT $12"

static gboolean
bad_filter (GError    **error,
            const char *name,
            const char *allowed)
{
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST, "%s must be one of %s", name, allowed);
  return FALSE;
}

static gboolean
handle_list (SdRequest  *req,
             GError    **error)
{
  g_auto(SdPage) page = { 0 };
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) rows = NULL;
  const char *role = sd_request_query (req, "role");
  const char *when = sd_request_query (req, "when");
  const char *status = sd_request_query (req, "status");
  gint64 now = sd_request_now (req);
  gint64 end_after = G_MININT64, end_until = G_MAXINT64;
  gboolean backward = FALSE;

  if (role != NULL && !g_str_equal (role, "student") && !g_str_equal (role, "expert") && !g_str_equal (role, "all"))
    return bad_filter (error, "role", "student, expert, all");
  /* everyone's bookings in the group: for the organization's admins */
  gboolean everyone = g_strcmp0 (role, "all") == 0;
  if (everyone && req->auth.role != SD_ROLE_ADMIN)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                           "only the organization's admins see everyone's bookings");
      return FALSE;
    }
  if (status != NULL && !g_str_equal (status, "booked") && !g_str_equal (status, "cancelled"))
    return bad_filter (error, "status", "booked, cancelled");
  if (g_strcmp0 (when, "upcoming") == 0)
    end_after = now;          /* not over yet, soonest first */
  else if (g_strcmp0 (when, "past") == 0)
    {
      end_until = now;        /* over, latest first */
      backward = TRUE;
    }
  else if (when != NULL && !g_str_equal (when, "all"))
    return bad_filter (error, "when", "upcoming, past, all");

  if (!sd_page_parse (req, &page, error))
    return FALSE;
  gint64 after_time = page.after_time;
  const char *after_id = page.after_id;
  if (backward && after_time < 0)
    {
      after_time = G_MAXINT64;
      after_id = "ffffffff-ffff-ffff-ffff-ffffffffffff";
    }
  else if (!backward && after_time < 0)
    after_time = G_MININT64;

  if (!sd_request_begin (req, SD_DB_TX_READ, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) ||
      (rows = sd_db_query (sd_request_db (req), error,
                           backward ? SD_COACHING_BOOKING_SELECT LIST_BACKWARD
                                    : SD_COACHING_BOOKING_SELECT LIST_FORWARD,
                           "sssbbsbiiisib", group.id, req->auth.org_id, req->auth.user_id,
                           role == NULL || g_str_equal (role, "student"),
                           role == NULL || g_str_equal (role, "expert"),
                           status != NULL ? status : "booked", status == NULL,
                           end_after, end_until, after_time, after_id, page.limit + 1, everyone)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_page_reply (req, &page, rows, "start_at", booking_item, NULL);
  return TRUE;
}

/* ---- GET one ---- */

static gboolean
handle_show (SdRequest  *req,
             GError    **error)
{
  g_auto(SdApiGroup) group = { 0 };
  return sd_request_begin (req, SD_DB_TX_READ, error) &&
         sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) &&
         reply_booking (req, 200, group.id, sd_request_param (req, "booking_id"), error);
}

/* ---- cancel and reschedule ---- */

/* Inside the open write transaction: the booking of the route, checked to
 * be live and not over, and — for its student — outside the cancellation
 * notice.  @what names the change in messages. */
static SdDbRows *
load_changeable (SdRequest         *req,
                 const SdApiGroup  *group,
                 const char        *what,
                 GError           **error)
{
  g_autoptr(SdDbRows) rows = load_booking (req, group->id, sd_request_param (req, "booking_id"), error);
  if (rows == NULL)
    return NULL;
  gint64 now = sd_request_now (req);
  gint64 start = sd_db_rows_int (rows, 0, "start_at");
  gint64 notice = sd_request_config (req)->cancellation_notice_s;
  gboolean privileged = req->auth.role == SD_ROLE_ADMIN ||
                        g_strcmp0 (sd_db_rows_text (rows, 0, "expert_id"), req->auth.user_id) == 0;

  if (!g_str_equal (sd_db_rows_text (rows, 0, "status"), "booked"))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_TRANSITION,
                   "this booking is cancelled; it cannot be %s", what);
      return NULL;
    }
  if (sd_db_rows_int (rows, 0, "end_at") <= now)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_TRANSITION,
                   "this session is over; it cannot be %s", what);
      return NULL;
    }
  if (!privileged && now > start - notice)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_TOO_LATE,
                   "a session can be %s no later than %" G_GINT64_FORMAT " minutes before it starts;"
                   " ask the expert", what, notice / 60);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static const SdField cancel_fields[] = {
  { "reason", SD_FIELD_STRING, SD_FIELD_NULLABLE, 0, 500 },
  { NULL }
};

static gboolean
handle_cancel (SdRequest  *req,
               GError    **error)
{
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) booking = NULL;
  g_autofree char *reason = g_strstrip (sd_api_one_line (sd_json_get_string (req->body, "reason")));
  gint64 now = sd_request_now (req);

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) ||
      (booking = load_changeable (req, &group, "cancelled", error)) == NULL)
    return FALSE;
  const char *id = sd_db_rows_text (booking, 0, "id");
  if (sd_db_exec (sd_request_db (req), error,
                  "UPDATE coaching_bookings SET status = 'cancelled', cancel_reason = $3, cancelled_by = $4,"
                  " cancelled_at = $5, sequence = sequence + 1, updated_at = $5"
                  " WHERE id = $1 AND org_id = $2",
                  "ssssi", id, req->auth.org_id, *reason != '\0' ? reason : NULL, req->auth.user_id, now) < 0 ||
      !sd_coaching_notify (req, id, SD_COACHING_CANCELLED, *reason != '\0' ? reason : NULL, 0, error))
    return FALSE;
  return reply_booking (req, 200, group.id, id, error);
}

static const SdField reschedule_fields[] = {
  { "start", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, 64 },
  { NULL }
};

static gboolean
handle_reschedule (SdRequest  *req,
                   GError    **error)
{
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) booking = NULL;
  gint64 start = 0;
  int before = 0, after = 0;

  if (!sd_coaching_parse_time (sd_json_get_string (req->body, "start"), "start", &start, error) ||
      !sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) ||
      (booking = load_changeable (req, &group, "moved", error)) == NULL)
    return FALSE;
  const char *id = sd_db_rows_text (booking, 0, "id");
  const char *expert = sd_db_rows_text (booking, 0, "expert_id");
  gint64 previous = sd_db_rows_int (booking, 0, "start_at");
  gint64 length = sd_db_rows_int (booking, 0, "end_at") - previous;
  gint64 end = start + length;

  if (!require_free_slot (req, group.id, expert, start, (int) (length / 60), id, &before, &after, error))
    return FALSE;
  if (sd_db_exec (sd_request_db (req), error,
                  "UPDATE coaching_bookings SET start_at = $3, end_at = $4, block_start = $5, block_end = $6,"
                  " sequence = sequence + 1, updated_at = $7"
                  " WHERE id = $1 AND org_id = $2",
                  "ssiiiii", id, req->auth.org_id, start, end, start - (gint64) before * 60,
                  end + (gint64) after * 60, sd_request_now (req)) < 0)
    {
      map_overlap (error);
      return FALSE;
    }
  if (!sd_coaching_notify (req, id, SD_COACHING_RESCHEDULED, NULL, previous, error))
    return FALSE;
  return reply_booking (req, 200, group.id, id, error);
}

const SdRoute sd_api_bookings_routes[] = {
  { "POST", "/groups/{gid}/coaching/bookings", handle_book, SD_ROUTE_AUTH, book_fields, 0, NULL },
  { "GET", "/groups/{gid}/coaching/bookings", handle_list, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/groups/{gid}/coaching/bookings/{booking_id}", handle_show, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "POST", "/groups/{gid}/coaching/bookings/{booking_id}/cancel", handle_cancel, SD_ROUTE_AUTH,
    cancel_fields, 0, NULL },
  { "POST", "/groups/{gid}/coaching/bookings/{booking_id}/reschedule", handle_reschedule, SD_ROUTE_AUTH,
    reschedule_fields, 0, NULL },
  { NULL }
};
