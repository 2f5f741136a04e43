/* sd-api-coaching.c — helpers the live-coaching families share (see
 * sd-api-coaching.h). */
#define G_LOG_DOMAIN "sd-api-coaching"

#include "api/sd-api-coaching.h"

#include <string.h>

#define NIL_UUID "00000000-0000-0000-0000-000000000000"

/* Bookings whose start lies this far outside a range cannot have a block
 * inside it: buffers are at most 4 h on each side, sessions at most 2 h. */
#define BOOKING_REACH_S (12 * 3600)

gboolean
sd_coaching_require_expert (SdRequest   *req,
                            const char  *group_id,
                            const char  *user_id,
                            GError     **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
      "SELECT u.role FROM group_members m JOIN users u ON u.id = m.user_id AND u.org_id = m.org_id"
      " WHERE m.group_id = $1 AND m.org_id = $2 AND m.user_id = $3",
      "sss", group_id, req->auth.org_id, user_id);
  if (rows == NULL)
    return FALSE;
  SdRole role = sd_db_rows_n (rows) == 1 ? sd_role_from_string (sd_db_rows_text (rows, 0, "role"))
                                         : SD_ROLE_NONE;
  if (role != SD_ROLE_EXPERT && role != SD_ROLE_ADMIN)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND,
                           "there is no such expert in this group");
      return FALSE;
    }
  return TRUE;
}

char *
sd_coaching_acting_expert (SdRequest         *req,
                           const SdApiGroup  *group,
                           const char        *requested,
                           GError           **error)
{
  if (req->auth.role != SD_ROLE_EXPERT && req->auth.role != SD_ROLE_ADMIN)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                           "only experts and admins offer coaching sessions");
      return NULL;
    }
  const char *expert = requested != NULL ? requested : req->auth.user_id;
  if (!g_str_equal (expert, req->auth.user_id))
    {
      if (!sd_coaching_check_uuid (expert, "expert_id", error))
        return NULL;
      if (req->auth.role != SD_ROLE_ADMIN)
        {
          g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                               "only admins may act for another expert");
          return NULL;
        }
    }
  if (!sd_coaching_require_expert (req, group->id, expert, error))
    {
      /* The caller themself: say why rather than "no such expert". */
      if (g_str_equal (expert, req->auth.user_id))
        {
          g_clear_error (error);
          g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                               "join the group to offer coaching sessions in it");
        }
      return NULL;
    }
  return g_strdup (expert);
}

gboolean
sd_coaching_parse_time (const char  *text,
                        const char  *what,
                        gint64      *seconds,
                        GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;
  if (text != NULL && strlen (text) <= 64)
    dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                   "“%s” must be an RFC 3339 time with a zone, such as 2026-03-01T09:00:00Z", what);
      return FALSE;
    }
  *seconds = g_date_time_to_unix (dt);
  return TRUE;
}

gboolean
sd_coaching_check_uuid (const char  *value,
                        const char  *what,
                        GError     **error)
{
  if (value != NULL && sd_json_is_uuid (value))
    return TRUE;
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“%s” must be a UUID", what);
  return FALSE;
}

gboolean
sd_coaching_check_text (JsonObject  *body,
                        const char  *field,
                        gboolean     multiline,
                        GError     **error)
{
  const char *text = sd_json_get_string (body, field);
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (multiline && (c == '\n' || c == '\t'))
        continue;
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                       multiline ? "“%s” may not contain control characters"
                                 : "“%s” may not contain line breaks or control characters", field);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- schedules ---- */

void
sd_coaching_schedule_clear (SdCoachingSchedule *schedule)
{
  g_clear_pointer (&schedule->time_zone, g_free);
  g_clear_pointer (&schedule->windows, g_array_unref);
  g_clear_pointer (&schedule->busy, g_array_unref);
  memset (schedule, 0, sizeof *schedule);
}

static void
add_busy (GArray     *busy,
          SdDbRows   *rows,
          const char *start_column,
          const char *end_column)
{
  for (guint i = 0; i < sd_db_rows_n (rows); i++)
    {
      TandemRange r = { sd_db_rows_int (rows, i, start_column), sd_db_rows_int (rows, i, end_column) };
      g_array_append_val (busy, r);
    }
}

/* The expert's own zone when availability was never set: their profile's,
 * else UTC. */
static char *
user_time_zone (SdRequest   *req,
                const char  *user_id,
                GError     **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
      "SELECT time_zone FROM users WHERE id = $1 AND org_id = $2",
      "ss", user_id, req->auth.org_id);
  if (rows == NULL)
    return NULL;
  const char *tz = sd_db_rows_n (rows) == 1 ? sd_db_rows_text (rows, 0, "time_zone") : NULL;
  return g_strdup (sd_api_valid_time_zone (tz) ? tz : "UTC");
}

gboolean
sd_coaching_schedule_load (SdRequest           *req,
                           const char          *group_id,
                           const char          *expert_id,
                           int                  duration_minutes,
                           gint64               from,
                           gint64               to,
                           const char          *exclude_booking_id,
                           SdCoachingSchedule  *out,
                           GError             **error)
{
  SdDbConn *db = sd_request_db (req);
  const char *org = req->auth.org_id;
  const SdConfig *config = sd_request_config (req);

  memset (out, 0, sizeof *out);
  out->windows = g_array_new (FALSE, FALSE, sizeof (TandemWindow));
  out->busy = g_array_new (FALSE, FALSE, sizeof (TandemRange));

  g_autoptr(SdDbRows) expert = sd_db_query (db, error,
      "SELECT time_zone, buffer_before_minutes, buffer_after_minutes FROM coaching_experts"
      " WHERE group_id = $1 AND expert_id = $2 AND org_id = $3",
      "sss", group_id, expert_id, org);
  if (expert == NULL)
    return FALSE;
  int before = 0, after = 0;
  if (sd_db_rows_n (expert) == 1)
    {
      out->configured = TRUE;
      out->time_zone = g_strdup (sd_db_rows_text (expert, 0, "time_zone"));
      before = (int) sd_db_rows_int (expert, 0, "buffer_before_minutes");
      after = (int) sd_db_rows_int (expert, 0, "buffer_after_minutes");
    }
  else if ((out->time_zone = user_time_zone (req, expert_id, error)) == NULL)
    return FALSE;

  g_autoptr(SdDbRows) windows = sd_db_query (db, error,
      "SELECT day_of_week, start_minute, end_minute FROM coaching_availability"
      " WHERE group_id = $1 AND expert_id = $2 AND org_id = $3",
      "sss", group_id, expert_id, org);
  if (windows == NULL)
    return FALSE;
  for (guint i = 0; i < sd_db_rows_n (windows); i++)
    {
      TandemWindow w = {
        (int) sd_db_rows_int (windows, i, "day_of_week"),
        (int) sd_db_rows_int (windows, i, "start_minute"),
        (int) sd_db_rows_int (windows, i, "end_minute"),
      };
      g_array_append_val (out->windows, w);
    }

  /* What can touch the block [start - before, end + after) of a slot in
   * [from, to). */
  gint64 lo = from - (gint64) before * 60, hi = to + (gint64) after * 60;
  g_autoptr(SdDbRows) blocked = sd_db_query (db, error,
      "SELECT start_at, end_at FROM coaching_blocked"
      " WHERE org_id = $1 AND expert_id = $2 AND end_at > $3 AND start_at < $4",
      "ssii", org, expert_id, lo, hi);
  if (blocked == NULL)
    return FALSE;
  add_busy (out->busy, blocked, "start_at", "end_at");
  g_autoptr(SdDbRows) booked = sd_db_query (db, error,
      "SELECT block_start, block_end FROM coaching_bookings"
      " WHERE org_id = $1 AND expert_id = $2 AND status = 'booked' AND id <> $3"
      "   AND start_at > $4 AND start_at < $5 AND block_end > $6 AND block_start < $7",
      "sssiiii", org, expert_id, exclude_booking_id != NULL ? exclude_booking_id : NIL_UUID,
      lo - BOOKING_REACH_S, hi + BOOKING_REACH_S, lo, hi);
  if (booked == NULL)
    return FALSE;
  add_busy (out->busy, booked, "block_start", "block_end");

  TandemSlotQuery *q = &out->query;
  q->time_zone = out->time_zone;
  q->windows = (const TandemWindow *) out->windows->data;
  q->n_windows = out->windows->len;
  q->busy = (const TandemRange *) out->busy->data;
  q->n_busy = out->busy->len;
  q->duration_minutes = duration_minutes;
  q->buffer_before_minutes = before;
  q->buffer_after_minutes = after;
  q->granularity_minutes = 15;
  q->now = sd_request_now (req);
  q->min_notice_seconds = config->min_booking_notice_s;
  q->from = from;
  q->to = to;
  return TRUE;
}

/* ---- JSON ---- */

JsonObject *
sd_coaching_type_json (SdDbRows *rows,
                       guint     i)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "id", sd_db_rows_text (rows, i, "id"));
  json_object_set_string_member (o, "group_id", sd_db_rows_text (rows, i, "group_id"));
  json_object_set_string_member (o, "expert_id", sd_db_rows_text (rows, i, "expert_id"));
  json_object_set_string_member (o, "name", sd_db_rows_text (rows, i, "name"));
  json_object_set_string_member (o, "description", sd_db_rows_text (rows, i, "description"));
  json_object_set_int_member (o, "duration_minutes", sd_db_rows_int (rows, i, "duration_minutes"));
  json_object_set_boolean_member (o, "active", sd_db_rows_bool (rows, i, "active"));
  sd_json_set_time (o, "created_at", sd_db_rows_int (rows, i, "created_at"));
  sd_json_set_time (o, "updated_at", sd_db_rows_int (rows, i, "updated_at"));
  return o;
}

/* {"id","name"} of a user or session type. */
static JsonObject *
named_ref (SdDbRows   *rows,
           guint       i,
           const char *id_column,
           const char *name_column)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "id", sd_db_rows_text (rows, i, id_column));
  json_object_set_string_member (o, "name", sd_db_rows_text (rows, i, name_column));
  return o;
}

JsonObject *
sd_coaching_booking_json (SdRequest *req,
                          SdDbRows  *rows,
                          guint      i)
{
  const SdConfig *config = sd_request_config (req);
  gint64 start = sd_db_rows_int (rows, i, "start_at");
  gint64 end = sd_db_rows_int (rows, i, "end_at");
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "id", sd_db_rows_text (rows, i, "id"));
  json_object_set_string_member (o, "group_id", sd_db_rows_text (rows, i, "group_id"));
  json_object_set_string_member (o, "session_type_id", sd_db_rows_text (rows, i, "session_type_id"));
  json_object_set_object_member (o, "session_type", named_ref (rows, i, "session_type_id", "session_type_name"));
  json_object_set_string_member (o, "expert_id", sd_db_rows_text (rows, i, "expert_id"));
  json_object_set_object_member (o, "expert", named_ref (rows, i, "expert_id", "expert_name"));
  json_object_set_string_member (o, "student_id", sd_db_rows_text (rows, i, "student_id"));
  json_object_set_object_member (o, "student", named_ref (rows, i, "student_id", "student_name"));
  sd_json_set_time (o, "start", start);
  sd_json_set_time (o, "end", end);
  json_object_set_int_member (o, "duration_minutes", (end - start) / 60);
  json_object_set_string_member (o, "status", sd_db_rows_text (rows, i, "status"));
  json_object_set_string_member (o, "notes", sd_db_rows_text (rows, i, "notes"));
  sd_json_set_string_or_null (o, "cancel_reason", sd_db_rows_text (rows, i, "cancel_reason"));
  sd_json_set_string_or_null (o, "cancelled_by", sd_db_rows_text (rows, i, "cancelled_by"));
  sd_json_set_time (o, "cancelled_at", sd_db_rows_is_null (rows, i, "cancelled_at")
                                         ? -1 : sd_db_rows_int (rows, i, "cancelled_at"));
  json_object_set_int_member (o, "sequence", sd_db_rows_int (rows, i, "sequence"));
  /* When students can no longer cancel or move it, and when its call opens. */
  sd_json_set_time (o, "cancel_deadline", start - config->cancellation_notice_s);
  sd_json_set_time (o, "connect_opens_at", start - config->connect_window_s);
  sd_json_set_time (o, "created_at", sd_db_rows_int (rows, i, "created_at"));
  sd_json_set_time (o, "updated_at", sd_db_rows_int (rows, i, "updated_at"));
  return o;
}
