/* sd-api-coaching-experts.c — who can be booked in a group.
 *
 *   GET /groups/{gid}/coaching/experts
 *     → a page of {"id","name","role","time_zone","configured","session_type_count"}
 *
 * The experts of a group are its members whose role is expert or admin
 * (sd-api-coaching.h), in the order they joined.  "configured" says they
 * set their availability in this group, "session_type_count" counts their
 * active session types here; "time_zone" is the zone of their availability
 * (else their profile's).  Every member may ask; others get 404. */
#define G_LOG_DOMAIN "sd-api-coaching-experts"

#include "api/sd-api-coaching.h"

static JsonObject *
expert_item (SdRequest *req, SdDbRows *rows, guint i, gpointer data)
{
  JsonObject *o = json_object_new ();
  const char *tz = sd_db_rows_text (rows, i, "coaching_time_zone");
  if (tz == NULL)
    tz = sd_db_rows_text (rows, i, "time_zone");
  json_object_set_string_member (o, "id", sd_db_rows_text (rows, i, "id"));
  json_object_set_string_member (o, "name", sd_db_rows_text (rows, i, "name"));
  json_object_set_string_member (o, "role", sd_db_rows_text (rows, i, "role"));
  json_object_set_string_member (o, "time_zone", sd_api_valid_time_zone (tz) ? tz : "UTC");
  json_object_set_boolean_member (o, "configured", !sd_db_rows_is_null (rows, i, "coaching_time_zone"));
  json_object_set_int_member (o, "session_type_count", sd_db_rows_int (rows, i, "session_type_count"));
  return o;
}

static gboolean
handle_list (SdRequest  *req,
             GError    **error)
{
  g_auto(SdPage) page = { 0 };
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) rows = NULL;

  if (!sd_page_parse (req, &page, error) ||
      !sd_request_begin (req, SD_DB_TX_READ, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) ||
      (rows = sd_db_query (sd_request_db (req), error,
                           "SELECT u.id, u.name, u.role, u.time_zone, m.created_at AS joined_at,"
                           "       x.time_zone AS coaching_time_zone,"
                           "       (SELECT COUNT(*) FROM coaching_session_types t"
                           "         WHERE t.group_id = m.group_id AND t.expert_id = u.id AND t.org_id = m.org_id"
                           "           AND t.active) AS session_type_count"
                           "  FROM group_members m JOIN users u ON u.id = m.user_id AND u.org_id = m.org_id"
                           "  LEFT JOIN coaching_experts x"
                           "    ON x.group_id = m.group_id AND x.expert_id = u.id AND x.org_id = m.org_id"
                           " WHERE m.group_id = $1 AND m.org_id = $2 AND u.role IN ('expert', 'admin')"
                           "   AND (m.created_at > $3 OR (m.created_at = $3 AND u.id > $4))"
                           " ORDER BY m.created_at, u.id LIMIT $5",
                           "ssisi", group.id, req->auth.org_id, page.after_time, page.after_id,
                           page.limit + 1)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_page_reply (req, &page, rows, "joined_at", expert_item, NULL);
  return TRUE;
}

const SdRoute sd_api_coaching_experts_routes[] = {
  { "GET", "/groups/{gid}/coaching/experts", handle_list, SD_ROUTE_AUTH, NULL, 0, NULL },
  { NULL }
};
