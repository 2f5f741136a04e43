/* sd-api-slots.c — an expert's free slots for one session type.
 *
 *   GET /groups/{gid}/coaching/experts/{expert_id}/slots?from=&to=&session_type_id=[&exclude_booking_id=]
 *     → {"items":[{"start","end"}…], "time_zone", "expert_id", "session_type_id",
 *        "duration_minutes", "from", "to"}
 *
 * Free = the expert's weekly windows in this group (in their time zone,
 * shared/tandem-slots.c does the maths, daylight-saving changes included)
 * minus their blocked ranges and the buffered blocks of their live bookings
 * in every group of the organization, starting no earlier than now + the
 * minimum booking notice.  Times are RFC 3339 UTC; "time_zone" names the
 * expert's zone for showing the week as they wrote it.
 *
 * from defaults to now, to to from + 7 days; at most 92 days at once.
 * session_type_id (alias session_type) must name an active type of this
 * expert in this group.  Every member of the group may ask (404 otherwise).
 * exclude_booking_id, for rescheduling: that live booking of this expert,
 * in which the caller takes part, does not count as busy, so times
 * overlapping its own are offered (404 when there is no such booking). */
#define G_LOG_DOMAIN "sd-api-slots"

#include "api/sd-api-coaching.h"

#define DEFAULT_RANGE_S (7 * 24 * 3600)
#define MAX_RANGE_S (92 * 24 * 3600)

static gboolean
parse_range (SdRequest  *req,
             gint64     *from,
             gint64     *to,
             GError    **error)
{
  const char *from_text = sd_request_query (req, "from");
  const char *to_text = sd_request_query (req, "to");

  *from = sd_request_now (req);
  if (from_text != NULL && !sd_coaching_parse_time (from_text, "from", from, error))
    return FALSE;
  *to = *from + DEFAULT_RANGE_S;
  if (to_text != NULL && !sd_coaching_parse_time (to_text, "to", to, error))
    return FALSE;
  if (*from < 0 || *to <= *from || *to - *from > MAX_RANGE_S)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                           "“to” must come after “from”, at most 92 days later");
      return FALSE;
    }
  return TRUE;
}

/* @booking_id is a live booking with @expert_id in @group_id, and the
 * caller is its expert or its student. */
static gboolean
require_own_booking (SdRequest   *req,
                     const char  *group_id,
                     const char  *expert_id,
                     const char  *booking_id,
                     GError     **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
                                          "SELECT id FROM coaching_bookings WHERE id = $1 AND group_id = $2"
                                          " AND expert_id = $3 AND org_id = $4 AND status = 'booked'"
                                          " AND (student_id = $5 OR expert_id = $5)",
                                          "sssss", booking_id, group_id, expert_id, req->auth.org_id,
                                          req->auth.user_id);
  if (rows == NULL)
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND,
                           "no such booking of yours with this expert (exclude_booking_id)");
      return FALSE;
    }
  return TRUE;
}

static gboolean
handle_slots (SdRequest  *req,
              GError    **error)
{
  g_auto(SdApiGroup) group = { 0 };
  g_auto(SdCoachingSchedule) schedule = { 0 };
  g_autoptr(SdDbRows) type = NULL;
  g_autoptr(GArray) slots = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *expert = sd_request_param (req, "expert_id");
  const char *type_id = sd_request_query (req, "session_type_id");
  const char *exclude = sd_request_query (req, "exclude_booking_id");
  gint64 from = 0, to = 0;

  if (type_id == NULL)
    type_id = sd_request_query (req, "session_type");
  if (exclude != NULL && !sd_json_is_uuid (exclude))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                           "exclude_booking_id must name a booking");
      return FALSE;
    }
  if (type_id == NULL || !sd_json_is_uuid (type_id))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                           "session_type_id must name a session type");
      return FALSE;
    }
  if (!parse_range (req, &from, &to, error) ||
      !sd_request_begin (req, SD_DB_TX_READ, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) ||
      !sd_coaching_require_expert (req, group.id, expert, error) ||
      (type = sd_db_query (sd_request_db (req), error,
                           "SELECT duration_minutes FROM coaching_session_types"
                           " WHERE id = $1 AND group_id = $2 AND expert_id = $3 AND org_id = $4 AND active",
                           "ssss", type_id, group.id, expert, req->auth.org_id)) == NULL)
    return FALSE;
  if (sd_db_rows_n (type) != 1)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND,
                           "this expert offers no such session type in this group");
      return FALSE;
    }
  int duration = (int) sd_db_rows_int (type, 0, "duration_minutes");
  if (exclude != NULL && !require_own_booking (req, group.id, expert, exclude, error))
    return FALSE;
  if (!sd_coaching_schedule_load (req, group.id, expert, duration, from, to, exclude, &schedule, error) ||
      !sd_request_commit (req, error))
    return FALSE;

  slots = tandem_slots_compute (&schedule.query, &local_error);
  if (slots == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "no slots: %s", local_error->message);
      return FALSE;
    }

  /* Written directly: a month of slots is over a thousand items, and a
   * JsonObject per item costs more than the slot maths. */
  GString *out = g_string_sized_new (64 + slots->len * 64);
  g_string_append (out, "{\"items\":[");
  for (guint i = 0; i < slots->len; i++)
    {
      const TandemRange *slot = &g_array_index (slots, TandemRange, i);
      g_string_append (out, i > 0 ? ",{\"start\":\"" : "{\"start\":\"");
      sd_json_append_time (out, slot->start);
      g_string_append (out, "\",\"end\":\"");
      sd_json_append_time (out, slot->end);
      g_string_append (out, "\"}");
    }
  g_string_append (out, "],\"time_zone\":");
  sd_json_append_string (out, schedule.time_zone);
  g_string_append (out, ",\"expert_id\":");
  sd_json_append_string (out, expert);
  g_string_append (out, ",\"session_type_id\":");
  sd_json_append_string (out, type_id);
  g_string_append_printf (out, ",\"duration_minutes\":%d,\"from\":\"", duration);
  sd_json_append_time (out, from);
  g_string_append (out, "\",\"to\":\"");
  sd_json_append_time (out, to);
  g_string_append (out, "\"}");
  g_autoptr(GBytes) body = g_string_free_to_bytes (out);
  sd_request_reply_bytes (req, 200, "application/json", body);
  return TRUE;
}

const SdRoute sd_api_slots_routes[] = {
  { "GET", "/groups/{gid}/coaching/experts/{expert_id}/slots", handle_slots, SD_ROUTE_AUTH, NULL, 0, NULL },
  { NULL }
};
