/* sd-api-coaching-types.c — what an expert offers in a group: session
 * types (name, description, 15–120 minutes, active flag).
 *
 *   POST   /groups/{gid}/coaching/session-types             create (for oneself; admins for an expert)
 *   GET    /groups/{gid}/coaching/session-types             list (?expert_id=, ?include_inactive=true)
 *   GET    /groups/{gid}/coaching/session-types/{type_id}   show
 *   PATCH  /groups/{gid}/coaching/session-types/{type_id}   change name, description, duration, active
 *   DELETE /groups/{gid}/coaching/session-types/{type_id}   delete; deactivate when booked before
 *
 * Who (see sd-api-coaching.h): every member reads the active types; the
 * inactive ones only experts and admins (students get 404).  The type's
 * expert and admins change and delete it; others get 403.  A changed
 * duration applies to new bookings only. */
#define G_LOG_DOMAIN "sd-api-coaching-types"

#include "api/sd-api-coaching.h"

#include <string.h>

#define TYPE_FROM " FROM coaching_session_types t"

static char *
body_trimmed (SdRequest  *req,
              const char *field)
{
  const char *text = sd_json_get_string (req->body, field);
  return text != NULL ? g_strstrip (g_strdup (text)) : NULL;
}

/* Loads type {type_id} of group {gid} as the caller sees it. */
static SdDbRows *
load_type (SdRequest         *req,
           const SdApiGroup  *group,
           GError           **error)
{
  const char *id = sd_request_param (req, "type_id");
  SdDbRows *rows = sd_db_query (sd_request_db (req), error,
      "SELECT " SD_COACHING_TYPE_COLUMNS TYPE_FROM
      " WHERE t.id = $1 AND t.group_id = $2 AND t.org_id = $3",
      "sss", id, group->id, req->auth.org_id);
  if (rows == NULL)
    return NULL;
  if (sd_db_rows_n (rows) != 1 ||
      (req->auth.role == SD_ROLE_STUDENT && !sd_db_rows_bool (rows, 0, "active")))
    {
      sd_db_rows_free (rows);
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such session type");
      return NULL;
    }
  return rows;
}

/* The type's expert and admins may change it. */
static gboolean
require_owner (SdRequest  *req,
               SdDbRows   *type,
               GError    **error)
{
  if (req->auth.role == SD_ROLE_ADMIN ||
      (req->auth.role == SD_ROLE_EXPERT &&
       g_strcmp0 (sd_db_rows_text (type, 0, "expert_id"), req->auth.user_id) == 0))
    return TRUE;
  g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                       "only the session type's expert and admins may change it");
  return FALSE;
}

static gboolean
reply_type (SdRequest   *req,
            guint        status,
            const char  *id,
            GError     **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
      "SELECT " SD_COACHING_TYPE_COLUMNS TYPE_FROM " WHERE t.id = $1 AND t.org_id = $2",
      "ss", id, req->auth.org_id);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_json (req, status, sd_coaching_type_json (rows, 0));
  return TRUE;
}

/* ---- POST ---- */

static const SdField create_fields[] = {
  { "name", SD_FIELD_STRING, SD_FIELD_REQUIRED | SD_FIELD_TRIM, 1, 100 },
  { "description", SD_FIELD_STRING, SD_FIELD_NULLABLE, 0, 2000 },
  { "duration_minutes", SD_FIELD_INT, SD_FIELD_REQUIRED, 15, 120 },
  { "active", SD_FIELD_BOOL, SD_FIELD_OPTIONAL, 0, 0 },
  { "expert_id", SD_FIELD_STRING, SD_FIELD_NULLABLE, 0, 64 },
  { NULL }
};

static gboolean
handle_create (SdRequest  *req,
               GError    **error)
{
  g_auto(SdApiGroup) group = { 0 };
  g_autofree char *id = sd_api_ordered_id ();
  g_autofree char *name = body_trimmed (req, "name");
  g_autofree char *description = body_trimmed (req, "description");
  gint64 now = sd_request_now (req);

  if (!sd_coaching_check_text (req->body, "name", FALSE, error) ||
      !sd_coaching_check_text (req->body, "description", TRUE, error))
    return FALSE;
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error))
    return FALSE;
  g_autofree char *expert = sd_coaching_acting_expert (req, &group,
                                                       sd_json_get_string (req->body, "expert_id"), error);
  if (expert == NULL ||
      sd_db_exec (sd_request_db (req), error,
                  "INSERT INTO coaching_session_types (id, org_id, group_id, expert_id, name, description,"
                  "  duration_minutes, active, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                  "ssssssibi", id, req->auth.org_id, group.id, expert, name,
                  description != NULL ? description : "",
                  sd_json_get_int (req->body, "duration_minutes", 0),
                  sd_json_get_bool (req->body, "active", TRUE), now) < 0)
    return FALSE;
  return reply_type (req, 201, id, error);
}

/* ---- GET list ---- */

static JsonObject *
type_item (SdRequest *req, SdDbRows *rows, guint i, gpointer data)
{
  return sd_coaching_type_json (rows, i);
}

static gboolean
handle_list (SdRequest  *req,
             GError    **error)
{
  g_auto(SdPage) page = { 0 };
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) rows = NULL;
  const char *expert = sd_request_query (req, "expert_id");
  /* Students see what they can book. */
  gboolean inactive = req->auth.role != SD_ROLE_STUDENT &&
                      g_strcmp0 (sd_request_query (req, "include_inactive"), "true") == 0;

  if (expert != NULL && !sd_json_is_uuid (expert))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST, "expert_id must be a UUID");
      return FALSE;
    }
  if (!sd_page_parse (req, &page, error) ||
      !sd_request_begin (req, SD_DB_TX_READ, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) ||
      (rows = sd_db_query (sd_request_db (req), error,
                           "SELECT " SD_COACHING_TYPE_COLUMNS TYPE_FROM
                           " WHERE t.group_id = $1 AND t.org_id = $2"
                           "   AND (t.expert_id = $3 OR $4) AND (t.active OR $5)"
                           "   AND (t.created_at > $6 OR (t.created_at = $6 AND t.id > $7))"
                           " ORDER BY t.created_at, t.id LIMIT $8",
                           "sssbbisi", group.id, req->auth.org_id,
                           expert != NULL ? expert : "00000000-0000-0000-0000-000000000000",
                           expert == NULL, inactive, page.after_time, page.after_id,
                           page.limit + 1)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_page_reply (req, &page, rows, "created_at", type_item, NULL);
  return TRUE;
}

/* ---- GET/PATCH/DELETE one ---- */

static gboolean
handle_show (SdRequest  *req,
             GError    **error)
{
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) rows = NULL;

  if (!sd_request_begin (req, SD_DB_TX_READ, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) ||
      (rows = load_type (req, &group, error)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_json (req, 200, sd_coaching_type_json (rows, 0));
  return TRUE;
}

static const SdField update_fields[] = {
  { "name", SD_FIELD_STRING, SD_FIELD_TRIM, 1, 100 },
  { "description", SD_FIELD_STRING, SD_FIELD_NULLABLE, 0, 2000 },
  { "duration_minutes", SD_FIELD_INT, SD_FIELD_OPTIONAL, 15, 120 },
  { "active", SD_FIELD_BOOL, SD_FIELD_OPTIONAL, 0, 0 },
  { NULL }
};

static gboolean
handle_update (SdRequest  *req,
               GError    **error)
{
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) type = NULL;
  g_autofree char *name = body_trimmed (req, "name");
  g_autofree char *description = body_trimmed (req, "description");

  if (!sd_coaching_check_text (req->body, "name", FALSE, error) ||
      !sd_coaching_check_text (req->body, "description", TRUE, error))
    return FALSE;
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) ||
      (type = load_type (req, &group, error)) == NULL ||
      !require_owner (req, type, error))
    return FALSE;

  const char *id = sd_db_rows_text (type, 0, "id");
  gboolean has_description = sd_json_has (req->body, "description");
  if (sd_db_exec (sd_request_db (req), error,
                  "UPDATE coaching_session_types SET name = $3, description = $4,"
                  " duration_minutes = $5, active = $6, updated_at = $7"
                  " WHERE id = $1 AND org_id = $2",
                  "ssssibi", id, req->auth.org_id,
                  name != NULL ? name : sd_db_rows_text (type, 0, "name"),
                  has_description ? (description != NULL ? description : "")
                                  : sd_db_rows_text (type, 0, "description"),
                  sd_json_get_int (req->body, "duration_minutes",
                                   sd_db_rows_int (type, 0, "duration_minutes")),
                  sd_json_get_bool (req->body, "active", sd_db_rows_bool (type, 0, "active")),
                  sd_request_now (req)) < 0)
    return FALSE;
  return reply_type (req, 200, id, error);
}

static gboolean
handle_delete (SdRequest  *req,
               GError    **error)
{
  SdDbConn *db = sd_request_db (req);
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) type = NULL;
  g_autoptr(SdDbRows) used = NULL;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, sd_request_param (req, "gid"), &group, error) ||
      (type = load_type (req, &group, error)) == NULL ||
      !require_owner (req, type, error))
    return FALSE;
  const char *id = sd_db_rows_text (type, 0, "id");
  if ((used = sd_db_query (db, error,
                           "SELECT 1 AS used FROM coaching_bookings WHERE session_type_id = $1 AND org_id = $2"
                           " LIMIT 1",
                           "ss", id, req->auth.org_id)) == NULL)
    return FALSE;
  /* Booked types stay for their bookings' history, hidden from students. */
  if (sd_db_rows_n (used) > 0
      ? sd_db_exec (db, error,
                    "UPDATE coaching_session_types SET active = $3, updated_at = $4"
                    " WHERE id = $1 AND org_id = $2",
                    "ssbi", id, req->auth.org_id, FALSE, sd_request_now (req)) < 0
      : sd_db_exec (db, error, "DELETE FROM coaching_session_types WHERE id = $1 AND org_id = $2",
                    "ss", id, req->auth.org_id) < 0)
    return FALSE;
  if (!sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_empty (req, 204);
  return TRUE;
}

const SdRoute sd_api_coaching_types_routes[] = {
  { "POST", "/groups/{gid}/coaching/session-types", handle_create, SD_ROUTE_AUTH, create_fields, 0, NULL },
  { "GET", "/groups/{gid}/coaching/session-types", handle_list, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/groups/{gid}/coaching/session-types/{type_id}", handle_show, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "PATCH", "/groups/{gid}/coaching/session-types/{type_id}", handle_update, SD_ROUTE_AUTH, update_fields, 0, NULL },
  { "DELETE", "/groups/{gid}/coaching/session-types/{type_id}", handle_delete, SD_ROUTE_AUTH, NULL, 0, NULL },
  { NULL }
};
