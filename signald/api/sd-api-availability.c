/* sd-api-availability.c — an expert's weekly availability in a group: the
 * time zone its windows are written in, the windows, and the buffers kept
 * free before and after every session.
 *
 *   PUT /groups/{gid}/coaching/availability                        set one's own (admins: "expert_id")
 *   GET /groups/{gid}/coaching/availability                        one's own (admins: ?expert_id=)
 *   GET /groups/{gid}/coaching/experts/{expert_id}/availability    any expert's, for every member
 *
 * PUT replaces the whole week:
 *   {"time_zone":"Europe/Berlin",
 *    "windows":[{"day_of_week":1,"start":"09:00","end":"12:00"}, …],
 *    "buffer_before_minutes":0, "buffer_after_minutes":15}
 * day_of_week 0 = Sunday … 6; times "HH:MM" in the zone (end "24:00" is
 * midnight); an end at or before the start runs past midnight.  An unknown
 * zone is 400, bad windows and buffers 422 naming the window.
 * Before the first PUT, GET answers "configured": false with the expert's
 * own time zone and no windows. */
#define G_LOG_DOMAIN "sd-api-availability"

#include "api/sd-api-coaching.h"

#define MAX_WINDOWS 100
#define MAX_BUFFER_MINUTES 240

static gboolean
window_error (GError     **error,
              guint        i,
              const char  *message)
{
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "windows[%u]: %s", i, message);
  return FALSE;
}

/* Validates windows[@i] into @out. */
static gboolean
parse_window (JsonNode      *node,
              guint          i,
              TandemWindow  *out,
              GError       **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return window_error (error, i, "must be an object with day_of_week, start and end");
  JsonObject *o = json_node_get_object (node);
  JsonNode *day = json_object_get_member (o, "day_of_week");
  if (day == NULL || json_node_get_value_type (day) != G_TYPE_INT64 ||
      json_node_get_int (day) < 0 || json_node_get_int (day) > 6)
    return window_error (error, i, "“day_of_week” must be 0 (Sunday) to 6 (Saturday)");
  out->day_of_week = (int) json_node_get_int (day);
  const char *start = sd_json_get_string (o, "start");
  const char *end = sd_json_get_string (o, "end");
  if (start == NULL || !tandem_parse_hhmm (start, &out->start_minute) || out->start_minute >= 24 * 60)
    return window_error (error, i, "“start” must be a time from 00:00 to 23:59");
  if (end == NULL || !tandem_parse_hhmm (end, &out->end_minute))
    return window_error (error, i, "“end” must be a time from 00:00 to 24:00");
  if (out->end_minute == out->start_minute)
    return window_error (error, i, "a window must not start and end at the same time");
  return TRUE;
}

static char *
hhmm (gint64 minutes)
{
  return g_strdup_printf ("%02d:%02d", (int) (minutes / 60), (int) (minutes % 60));
}

/* Replies with @expert_id's availability in @group_id. */
static gboolean
reply_availability (SdRequest   *req,
                    const char  *group_id,
                    const char  *expert_id,
                    GError     **error)
{
  g_auto(SdCoachingSchedule) schedule = { 0 };
  g_autoptr(SdDbRows) updated = NULL;
  g_autoptr(SdDbRows) windows = NULL;
  SdDbConn *db = sd_request_db (req);

  /* The zone as the slot maths sees it (own profile's before the first PUT). */
  gint64 now = sd_request_now (req);
  if (!sd_coaching_schedule_load (req, group_id, expert_id, 15, now, now + 1, NULL, &schedule, error) ||
      (updated = sd_db_query (db, error,
                              "SELECT updated_at FROM coaching_experts"
                              " WHERE group_id = $1 AND expert_id = $2 AND org_id = $3",
                              "sss", group_id, expert_id, req->auth.org_id)) == NULL ||
      (windows = sd_db_query (db, error,
                              "SELECT day_of_week, start_minute, end_minute FROM coaching_availability"
                              " WHERE group_id = $1 AND expert_id = $2 AND org_id = $3"
                              " ORDER BY day_of_week, start_minute, end_minute",
                              "sss", group_id, expert_id, req->auth.org_id)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;

  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "expert_id", expert_id);
  json_object_set_string_member (o, "group_id", group_id);
  json_object_set_boolean_member (o, "configured", schedule.configured);
  json_object_set_string_member (o, "time_zone", schedule.time_zone);
  json_object_set_int_member (o, "buffer_before_minutes", schedule.query.buffer_before_minutes);
  json_object_set_int_member (o, "buffer_after_minutes", schedule.query.buffer_after_minutes);
  JsonArray *list = json_array_new ();
  for (guint i = 0; i < sd_db_rows_n (windows); i++)
    {
      JsonObject *w = json_object_new ();
      g_autofree char *start = hhmm (sd_db_rows_int (windows, i, "start_minute"));
      g_autofree char *end = hhmm (sd_db_rows_int (windows, i, "end_minute"));
      json_object_set_int_member (w, "day_of_week", sd_db_rows_int (windows, i, "day_of_week"));
      json_object_set_string_member (w, "start", start);
      json_object_set_string_member (w, "end", end);
      json_array_add_object_element (list, w);
    }
  json_object_set_array_member (o, "windows", list);
  sd_json_set_time (o, "updated_at", sd_db_rows_n (updated) == 1 ? sd_db_rows_int (updated, 0, "updated_at") : -1);
  sd_request_reply_json (req, 200, o);
  return TRUE;
}

/* ---- PUT ---- */

static const SdField put_fields[] = {
  { "time_zone", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, 64 },
  { "windows", SD_FIELD_ARRAY, SD_FIELD_REQUIRED, 0, MAX_WINDOWS },
  { "buffer_before_minutes", SD_FIELD_INT, SD_FIELD_OPTIONAL, 0, MAX_BUFFER_MINUTES },
  { "buffer_after_minutes", SD_FIELD_INT, SD_FIELD_OPTIONAL, 0, MAX_BUFFER_MINUTES },
  { "expert_id", SD_FIELD_STRING, SD_FIELD_NULLABLE, 0, 64 },
  { NULL }
};

static gboolean
handle_put (SdRequest  *req,
            GError    **error)
{
  SdDbConn *db = sd_request_db (req);
  g_auto(SdApiGroup) group = { 0 };
  const char *tz = sd_json_get_string (req->body, "time_zone");
  JsonArray *list = json_object_get_array_member (req->body, "windows");
  guint n = json_array_get_length (list);
  g_autofree TandemWindow *windows = g_new0 (TandemWindow, MAX (n, 1));
  gint64 now = sd_request_now (req);

  g_autoptr(GTimeZone) zone = tandem_time_zone_new (tz, NULL);
  if (zone == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                   "“%s” is not a time zone name such as Europe/Berlin", tz);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!parse_window (json_array_get_element (list, i), i, &windows[i], error))
      return FALSE;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error))
    return FALSE;
  g_autofree char *expert = sd_coaching_acting_expert (req, &group,
                                                       sd_json_get_string (req->body, "expert_id"), error);
  if (expert == NULL ||
      sd_db_exec (db, error,
                  "INSERT INTO coaching_experts (org_id, group_id, expert_id, time_zone,"
                  "  buffer_before_minutes, buffer_after_minutes, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7)"
                  " ON CONFLICT (group_id, expert_id) DO UPDATE SET time_zone = excluded.time_zone,"
                  "  buffer_before_minutes = excluded.buffer_before_minutes,"
                  "  buffer_after_minutes = excluded.buffer_after_minutes, updated_at = excluded.updated_at",
                  "ssssiii", req->auth.org_id, group.id, expert, tz,
                  sd_json_get_int (req->body, "buffer_before_minutes", 0),
                  sd_json_get_int (req->body, "buffer_after_minutes", 0), now) < 0 ||
      sd_db_exec (db, error,
                  "DELETE FROM coaching_availability WHERE group_id = $1 AND expert_id = $2 AND org_id = $3",
                  "sss", group.id, expert, req->auth.org_id) < 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      if (sd_db_exec (db, error,
                      "INSERT INTO coaching_availability (id, org_id, group_id, expert_id, day_of_week,"
                      "  start_minute, end_minute) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                      "ssssiii", id, req->auth.org_id, group.id, expert, (gint64) windows[i].day_of_week,
                      (gint64) windows[i].start_minute, (gint64) windows[i].end_minute) < 0)
        return FALSE;
    }
  return reply_availability (req, group.id, expert, error);
}

/* ---- GET ---- */

static gboolean
handle_get_own (SdRequest  *req,
                GError    **error)
{
  g_auto(SdApiGroup) group = { 0 };
  const char *requested = sd_request_query (req, "expert_id");

  if (!sd_request_begin (req, SD_DB_TX_READ, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error))
    return FALSE;
  g_autofree char *expert = sd_coaching_acting_expert (req, &group, requested, error);
  return expert != NULL && reply_availability (req, group.id, expert, error);
}

static gboolean
handle_get_expert (SdRequest  *req,
                   GError    **error)
{
  g_auto(SdApiGroup) group = { 0 };
  const char *expert = sd_request_param (req, "expert_id");

  return sd_request_begin (req, SD_DB_TX_READ, error) &&
         sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) &&
         sd_coaching_require_expert (req, group.id, expert, error) &&
         reply_availability (req, group.id, expert, error);
}

const SdRoute sd_api_availability_routes[] = {
  { "PUT", "/groups/{gid}/coaching/availability", handle_put, SD_ROUTE_AUTH, put_fields, 0, NULL },
  { "GET", "/groups/{gid}/coaching/availability", handle_get_own, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/groups/{gid}/coaching/experts/{expert_id}/availability", handle_get_expert, SD_ROUTE_AUTH,
    NULL, 0, NULL },
  { NULL }
};
