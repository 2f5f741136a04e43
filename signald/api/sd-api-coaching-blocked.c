/* sd-api-coaching-blocked.c — time an expert is away (a holiday, an
 * appointment), with a reason.  A blocked range takes the expert's slots
 * away in every group of the organization; existing bookings stay.
 *
 *   POST   /groups/{gid}/coaching/blocked                 {"start","end","reason"} (admins: "expert_id")
 *   GET    /groups/{gid}/coaching/blocked                 one's own, by start (?from=&to=; admins ?expert_id=)
 *   DELETE /groups/{gid}/coaching/blocked/{blocked_id}    one's own; admins any
 *
 * Who: experts of the group for themselves, admins for any expert of it
 * (sd-api-coaching.h); students get 403.  Reasons are private: only the
 * expert and admins see them. */
#define G_LOG_DOMAIN "sd-api-coaching-blocked"

#include "api/sd-api-coaching.h"

#define MAX_BLOCK_S (G_GINT64_CONSTANT (366) * 24 * 3600)
#define BLOCKED_COLUMNS "id, group_id, expert_id, start_at, end_at, reason, created_at"

static JsonObject *
blocked_json (SdRequest *req, SdDbRows *rows, guint i, gpointer data)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "id", sd_db_rows_text (rows, i, "id"));
  json_object_set_string_member (o, "group_id", sd_db_rows_text (rows, i, "group_id"));
  json_object_set_string_member (o, "expert_id", sd_db_rows_text (rows, i, "expert_id"));
  sd_json_set_time (o, "start", sd_db_rows_int (rows, i, "start_at"));
  sd_json_set_time (o, "end", sd_db_rows_int (rows, i, "end_at"));
  json_object_set_string_member (o, "reason", sd_db_rows_text (rows, i, "reason"));
  sd_json_set_time (o, "created_at", sd_db_rows_int (rows, i, "created_at"));
  return o;
}

/* ---- POST ---- */

static const SdField create_fields[] = {
  { "start", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, 64 },
  { "end", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, 64 },
  { "reason", SD_FIELD_STRING, SD_FIELD_NULLABLE, 0, 500 },
  { "expert_id", SD_FIELD_STRING, SD_FIELD_NULLABLE, 0, 64 },
  { NULL }
};

static gboolean
handle_create (SdRequest  *req,
               GError    **error)
{
  SdDbConn *db = sd_request_db (req);
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) rows = NULL;
  g_autofree char *id = sd_api_ordered_id ();
  g_autofree char *reason = sd_api_one_line (sd_json_get_string (req->body, "reason"));
  gint64 start = 0, end = 0;

  if (!sd_coaching_parse_time (sd_json_get_string (req->body, "start"), "start", &start, error) ||
      !sd_coaching_parse_time (sd_json_get_string (req->body, "end"), "end", &end, error))
    return FALSE;
  if (start < 0 || end <= start || end - start > MAX_BLOCK_S)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                           "“end” must come after “start”, at most 366 days later");
      return FALSE;
    }
  g_strstrip (reason);

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error))
    return FALSE;
  g_autofree char *expert = sd_coaching_acting_expert (req, &group,
                                                       sd_json_get_string (req->body, "expert_id"), error);
  if (expert == NULL ||
      sd_db_exec (db, error,
                  "INSERT INTO coaching_blocked (id, org_id, group_id, expert_id, start_at, end_at, reason,"
                  "  created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                  "ssssiisi", id, req->auth.org_id, group.id, expert, start, end, reason,
                  sd_request_now (req)) < 0 ||
      (rows = sd_db_query (db, error,
                           "SELECT " BLOCKED_COLUMNS " FROM coaching_blocked WHERE id = $1 AND org_id = $2",
                           "ss", id, req->auth.org_id)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_json (req, 201, blocked_json (req, rows, 0, NULL));
  return TRUE;
}

/* ---- GET ---- */

/* ?name= as unix seconds, or @fallback when absent. */
static gboolean
query_time (SdRequest   *req,
            const char  *name,
            gint64       fallback,
            gint64      *out,
            GError     **error)
{
  const char *text = sd_request_query (req, name);
  *out = fallback;
  return text == NULL || sd_coaching_parse_time (text, name, out, error);
}

static gboolean
handle_list (SdRequest  *req,
             GError    **error)
{
  g_auto(SdPage) page = { 0 };
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) rows = NULL;
  gint64 from = 0, to = 0;

  if (!sd_page_parse (req, &page, error) ||
      !query_time (req, "from", 0, &from, error) ||
      !query_time (req, "to", G_MAXINT64, &to, error) ||
      !sd_request_begin (req, SD_DB_TX_READ, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error))
    return FALSE;
  g_autofree char *expert = sd_coaching_acting_expert (req, &group, sd_request_query (req, "expert_id"), error);
  if (expert == NULL ||
      (rows = sd_db_query (sd_request_db (req), error,
                           "SELECT " BLOCKED_COLUMNS " FROM coaching_blocked"
                           " WHERE org_id = $1 AND expert_id = $2 AND end_at > $3 AND start_at < $4"
                           "   AND (start_at > $5 OR (start_at = $5 AND id > $6))"
                           " ORDER BY start_at, id LIMIT $7",
                           "ssiiisi", req->auth.org_id, expert, from, to, page.after_time,
                           page.after_id, page.limit + 1)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_page_reply (req, &page, rows, "start_at", blocked_json, NULL);
  return TRUE;
}

/* ---- DELETE ---- */

static gboolean
handle_delete (SdRequest  *req,
               GError    **error)
{
  SdDbConn *db = sd_request_db (req);
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) rows = NULL;
  const char *id = sd_request_param (req, "blocked_id");

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) ||
      (rows = sd_db_query (db, error,
                           "SELECT expert_id FROM coaching_blocked WHERE id = $1 AND org_id = $2",
                           "ss", id, req->auth.org_id)) == NULL)
    return FALSE;
  if (sd_db_rows_n (rows) != 1 ||
      (req->auth.role != SD_ROLE_ADMIN &&
       g_strcmp0 (sd_db_rows_text (rows, 0, "expert_id"), req->auth.user_id) != 0))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such blocked time");
      return FALSE;
    }
  if (sd_db_exec (db, error, "DELETE FROM coaching_blocked WHERE id = $1 AND org_id = $2",
                  "ss", id, req->auth.org_id) < 0 ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_empty (req, 204);
  return TRUE;
}

const SdRoute sd_api_coaching_blocked_routes[] = {
  { "POST", "/groups/{gid}/coaching/blocked", handle_create, SD_ROUTE_AUTH, create_fields, 0, NULL },
  { "GET", "/groups/{gid}/coaching/blocked", handle_list, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "DELETE", "/groups/{gid}/coaching/blocked/{blocked_id}", handle_delete, SD_ROUTE_AUTH, NULL, 0, NULL },
  { NULL }
};
