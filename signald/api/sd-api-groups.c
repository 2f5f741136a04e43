/* sd-api-groups.c — groups of an organization: create, list, show, rename,
 * delete, the group's picture, members and leaving.
 *
 * Who may do what (see sd-api-groups.h for the shared rules):
 *   create                 admins and experts; the creator becomes owner and member
 *   list                   admins: every group of the organization;
 *                          experts and students: the groups they are members of
 *   show, picture, members visible groups (admins, members); others get 404
 *   rename, picture, delete, remove a member
 *                          the owner and admins; other members get 403
 *   leave                  any member removes themself; the owner can neither
 *                          leave nor be removed (409)
 *
 * Pictures are PNG or JPEG uploads of at most 2 MiB and 4096×4096 pixels,
 * decoded off the worker thread and stored as a metadata-free PNG of at most
 * 512 pixels on the long side (api/sd-image.h). */
#define G_LOG_DOMAIN "sd-api-groups"

#include "api/sd-api-groups.h"
#include "api/sd-image.h"

#include <string.h>

/* The columns sd_api_group_json() reads; "g" is the groups table. */
#define GROUP_COLUMNS \
  "g.id, g.name, g.owner_id, (g.avatar IS NOT NULL) AS has_avatar, g.created_at, g.updated_at," \
  " (SELECT COUNT(*) FROM group_members c WHERE c.group_id = g.id AND c.org_id = g.org_id) AS member_count"

/* ---- shared with sd-api-invitations.c ---- */

void
sd_api_group_clear (SdApiGroup *group)
{
  g_clear_pointer (&group->rows, sd_db_rows_free);
  memset (group, 0, sizeof *group);
}

gboolean
sd_api_group_load (SdRequest   *req,
                   const char  *group_id,
                   SdApiGroup  *out,
                   GError     **error)
{
  SdDbRows *rows = sd_db_query (sd_request_db (req), error,
    "SELECT " GROUP_COLUMNS ","
    "       EXISTS (SELECT 1 FROM group_members m"
    "                WHERE m.group_id = g.id AND m.org_id = $2 AND m.user_id = $3) AS is_member"
    "  FROM groups g WHERE g.id = $1 AND g.org_id = $2",
    "sss", group_id, req->auth.org_id, req->auth.user_id);
  if (rows == NULL)
    return FALSE;

  gboolean admin = req->auth.role == SD_ROLE_ADMIN;
  if (sd_db_rows_n (rows) != 1 || !(admin || sd_db_rows_bool (rows, 0, "is_member")))
    {
      sd_db_rows_free (rows);
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such group");
      return FALSE;
    }
  out->rows = rows;
  out->id = sd_db_rows_text (rows, 0, "id");
  out->name = sd_db_rows_text (rows, 0, "name");
  out->owner_id = sd_db_rows_text (rows, 0, "owner_id");
  out->is_member = sd_db_rows_bool (rows, 0, "is_member");
  out->is_owner = g_strcmp0 (out->owner_id, req->auth.user_id) == 0;
  out->can_manage = admin || out->is_owner;
  out->can_invite = out->can_manage || (req->auth.role == SD_ROLE_EXPERT && out->is_member);
  return TRUE;
}

gboolean
sd_api_group_require_manager (const SdApiGroup  *group,
                              GError           **error)
{
  if (group->can_manage)
    return TRUE;
  g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                       "only the group's owner and the organization's admins may do that");
  return FALSE;
}

JsonObject *
sd_api_group_json (SdDbRows *rows,
                   guint     i)
{
  JsonObject *o = json_object_new ();
  const char *id = sd_db_rows_text (rows, i, "id");
  gboolean has_avatar = sd_db_rows_bool (rows, i, "has_avatar");
  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "name", sd_db_rows_text (rows, i, "name"));
  json_object_set_string_member (o, "owner_id", sd_db_rows_text (rows, i, "owner_id"));
  json_object_set_boolean_member (o, "has_avatar", has_avatar);
  if (has_avatar)
    {
      /* The version makes a changed picture a new URL for caches. */
      g_autofree char *url = g_strdup_printf ("/groups/%s/avatar?v=%" G_GINT64_FORMAT, id,
                                              sd_db_rows_int (rows, i, "updated_at"));
      json_object_set_string_member (o, "avatar_url", url);
    }
  else
    json_object_set_null_member (o, "avatar_url");
  json_object_set_int_member (o, "member_count", sd_db_rows_int (rows, i, "member_count"));
  sd_json_set_time (o, "created_at", sd_db_rows_int (rows, i, "created_at"));
  sd_json_set_time (o, "updated_at", sd_db_rows_int (rows, i, "updated_at"));
  return o;
}

/* ---- helpers ---- */

/* The trimmed name from the body, or NULL (422) when it has control
 * characters (it ends up in e-mail subjects and web pages). */
static char *
body_group_name (SdRequest  *req,
                 GError    **error)
{
  g_autofree char *name = g_strstrip (g_strdup (sd_json_get_string (req->body, "name")));
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        {
          g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                               "“name” may not contain line breaks or control characters");
          return NULL;
        }
    }
  return g_steal_pointer (&name);
}

/* Loads the group of the {id} parameter, reloading it after a change. */
static gboolean
reply_group (SdRequest   *req,
             guint        status,
             const char  *group_id,
             GError     **error)
{
  g_auto(SdApiGroup) group = { 0 };
  if (!sd_api_group_load (req, group_id, &group, error) || !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_json (req, status, sd_api_group_json (group.rows, 0));
  return TRUE;
}

/* ---- POST /groups ---- */

static const SdField name_fields[] = {
  { "name", SD_FIELD_STRING, SD_FIELD_REQUIRED | SD_FIELD_TRIM, 1, 100 },
  { NULL }
};

gboolean
sd_api_group_reply_avatar (SdRequest  *req,
                           SdDbRows   *rows,
                           GError    **error)
{
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "this group has no picture");
      return FALSE;
    }
  g_autoptr(GBytes) bytes = sd_db_rows_bytes (rows, 0, "avatar");
  const char *type = sd_db_rows_text (rows, 0, "avatar_type");
  sd_request_reply_bytes (req, 200, type != NULL ? type : "image/png", bytes);
  return TRUE;
}

static gboolean
handle_create (SdRequest  *req,
               GError    **error)
{
  SdDbConn *db = sd_request_db (req);
  g_autofree char *id = g_uuid_string_random ();
  gint64 now = sd_request_now (req);

  if (!sd_request_require_role (req, error, SD_ROLE_ADMIN, SD_ROLE_EXPERT, SD_ROLE_NONE))
    return FALSE;
  g_autofree char *name = body_group_name (req, error);
  if (name == NULL)
    return FALSE;
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      sd_db_exec (db, error,
                  "INSERT INTO groups (id, org_id, name, owner_id, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $5)",
                  "ssssi", id, req->auth.org_id, name, req->auth.user_id, now) < 0 ||
      sd_db_exec (db, error,
                  "INSERT INTO group_members (org_id, group_id, user_id, created_at) VALUES ($1, $2, $3, $4)",
                  "sssi", req->auth.org_id, id, req->auth.user_id, now) < 0)
    return FALSE;
  return reply_group (req, 201, id, error);
}

/* ---- GET /groups ---- */

#define LIST_WHERE \
  " FROM groups g WHERE g.org_id = $1 AND (g.created_at > $2 OR (g.created_at = $2 AND g.id > $3))"
#define LIST_ORDER " ORDER BY g.created_at, g.id LIMIT $4"

static JsonObject *
group_item (SdRequest *req, SdDbRows *rows, guint i, gpointer data)
{
  return sd_api_group_json (rows, i);
}

static gboolean
handle_list (SdRequest  *req,
             GError    **error)
{
  g_auto(SdPage) page = { 0 };
  g_autoptr(SdDbRows) rows = NULL;
  SdDbConn *db = sd_request_db (req);

  if (!sd_page_parse (req, &page, error) || !sd_request_begin (req, SD_DB_TX_READ, error))
    return FALSE;
  if (req->auth.role == SD_ROLE_ADMIN)
    rows = sd_db_query (db, error, "SELECT " GROUP_COLUMNS LIST_WHERE LIST_ORDER,
                        "sisi", req->auth.org_id, page.after_time, page.after_id,
                        page.limit + 1);
  else
    rows = sd_db_query (db, error,
                        "SELECT " GROUP_COLUMNS LIST_WHERE
                        " AND EXISTS (SELECT 1 FROM group_members m"
                        "              WHERE m.group_id = g.id AND m.org_id = $1 AND m.user_id = $5)"
                        LIST_ORDER,
                        "sisis", req->auth.org_id, page.after_time, page.after_id,
                        page.limit + 1, req->auth.user_id);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;

  sd_page_reply (req, &page, rows, "created_at", group_item, NULL);
  return TRUE;
}

/* ---- GET/PATCH/DELETE /groups/{id} ---- */

static gboolean
handle_show (SdRequest  *req,
             GError    **error)
{
  return sd_request_begin (req, SD_DB_TX_READ, error) &&
         reply_group (req, 200, sd_request_param (req, "id"), error);
}

static gboolean
handle_rename (SdRequest  *req,
               GError    **error)
{
  const char *id = sd_request_param (req, "id");
  g_auto(SdApiGroup) group = { 0 };
  g_autofree char *name = body_group_name (req, error);

  if (name == NULL ||
      !sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, id, &group, error) ||
      !sd_api_group_require_manager (&group, error) ||
      sd_db_exec (sd_request_db (req), error,
                  "UPDATE groups SET name = $3, updated_at = $4 WHERE id = $1 AND org_id = $2",
                  "sssi", id, req->auth.org_id, name, sd_request_now (req)) < 0)
    return FALSE;
  return reply_group (req, 200, id, error);
}

static gboolean
handle_delete (SdRequest  *req,
               GError    **error)
{
  const char *id = sd_request_param (req, "id");
  SdDbConn *db = sd_request_db (req);
  g_auto(SdApiGroup) group = { 0 };

  /* Dependants are deleted explicitly (not only by ON DELETE CASCADE), so
   * every statement carries the organization. */
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, id, &group, error) ||
      !sd_api_group_require_manager (&group, error) ||
      sd_db_exec (db, error, "DELETE FROM invitations WHERE group_id = $1 AND org_id = $2",
                  "ss", id, req->auth.org_id) < 0 ||
      sd_db_exec (db, error, "DELETE FROM group_members WHERE group_id = $1 AND org_id = $2",
                  "ss", id, req->auth.org_id) < 0 ||
      sd_db_exec (db, error, "DELETE FROM groups WHERE id = $1 AND org_id = $2",
                  "ss", id, req->auth.org_id) < 0 ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_empty (req, 204);
  return TRUE;
}

/* ---- /groups/{id}/avatar ---- */

typedef struct {
  char *content_type;
  GBytes *upload;
  GBytes *png;
  GError *error;
} AvatarJob;

static void
avatar_job_free (gpointer data)
{
  AvatarJob *job = data;
  g_free (job->content_type);
  g_clear_pointer (&job->upload, g_bytes_unref);
  g_clear_pointer (&job->png, g_bytes_unref);
  g_clear_error (&job->error);
  g_free (job);
}

static void
avatar_work (gpointer data)
{
  AvatarJob *job = data;
  job->png = sd_image_avatar_from_upload (job->content_type, job->upload, &job->error);
  g_clear_pointer (&job->upload, g_bytes_unref);
}

static gboolean
avatar_done (SdRequest  *req,
             GError    **error)
{
  AvatarJob *job = sd_request_defer_data (req);
  const char *id = sd_request_param (req, "id");
  g_auto(SdApiGroup) group = { 0 };

  if (job->png == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return FALSE;
    }
  /* Checked again: the group may have changed while the picture decoded. */
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, id, &group, error) ||
      !sd_api_group_require_manager (&group, error) ||
      sd_db_exec (sd_request_db (req), error,
                  "UPDATE groups SET avatar = $3, avatar_type = 'image/png', updated_at = $4"
                  " WHERE id = $1 AND org_id = $2",
                  "ssBi", id, req->auth.org_id, job->png, sd_request_now (req)) < 0)
    return FALSE;
  return reply_group (req, 200, id, error);
}

static gboolean
handle_avatar_put (SdRequest  *req,
                   GError    **error)
{
  g_auto(SdApiGroup) group = { 0 };
  const char *content_type = sd_request_header (req, "Content-Type");

  /* Rights first, so outsiders learn nothing from the other answers. */
  if (!sd_request_begin (req, SD_DB_TX_READ, error) ||
      !sd_api_group_load (req, sd_request_param (req, "id"), &group, error) ||
      !sd_api_group_require_manager (&group, error) ||
      !sd_request_commit (req, error))
    return FALSE;
  if (sd_image_upload_format (content_type) == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_UNSUPPORTED_MEDIA,
                   "send the picture as image/png or image/jpeg (got %s)",
                   content_type != NULL ? content_type : "no Content-Type");
      return FALSE;
    }

  AvatarJob *job = g_new0 (AvatarJob, 1);
  job->content_type = g_strdup (content_type);
  job->upload = sd_request_body_bytes (req);
  sd_request_defer (req, avatar_work, avatar_done, job, avatar_job_free);
  return TRUE;
}

static gboolean
handle_avatar_get (SdRequest  *req,
                   GError    **error)
{
  const char *id = sd_request_param (req, "id");
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) rows = NULL;

  if (!sd_request_begin (req, SD_DB_TX_READ, error) ||
      !sd_api_group_load (req, id, &group, error) ||
      (rows = sd_db_query (sd_request_db (req), error,
                           "SELECT avatar, avatar_type FROM groups"
                           " WHERE id = $1 AND org_id = $2 AND avatar IS NOT NULL",
                           "ss", id, req->auth.org_id)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;
  return sd_api_group_reply_avatar (req, rows, error);
}

static gboolean
handle_avatar_delete (SdRequest  *req,
                      GError    **error)
{
  const char *id = sd_request_param (req, "id");
  g_auto(SdApiGroup) group = { 0 };

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, id, &group, error) ||
      !sd_api_group_require_manager (&group, error) ||
      sd_db_exec (sd_request_db (req), error,
                  "UPDATE groups SET avatar = NULL, avatar_type = NULL, updated_at = $3"
                  " WHERE id = $1 AND org_id = $2 AND avatar IS NOT NULL",
                  "ssi", id, req->auth.org_id, sd_request_now (req)) < 0 ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_empty (req, 204);
  return TRUE;
}

/* ---- /groups/{id}/members ---- */

static gboolean
handle_members (SdRequest  *req,
                GError    **error)
{
  const char *id = sd_request_param (req, "id");
  g_auto(SdPage) page = { 0 };
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) rows = NULL;

  if (!sd_page_parse (req, &page, error) ||
      !sd_request_begin (req, SD_DB_TX_READ, error) ||
      !sd_api_group_load (req, id, &group, error) ||
      (rows = sd_db_query (sd_request_db (req), error,
                           "SELECT u.id, u.email, u.name, u.role, u.org_id, u.language, u.time_zone,"
                           "       u.created_at, m.created_at AS joined_at"
                           "  FROM group_members m JOIN users u ON u.id = m.user_id AND u.org_id = m.org_id"
                           " WHERE m.group_id = $1 AND m.org_id = $2"
                           "   AND (m.created_at > $3 OR (m.created_at = $3 AND u.id > $4))"
                           " ORDER BY m.created_at, u.id LIMIT $5",
                           "ssisi", id, req->auth.org_id, page.after_time, page.after_id,
                           page.limit + 1)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;

  JsonArray *items = json_array_new ();
  guint n = MIN (sd_db_rows_n (rows), (guint) page.limit);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = sd_api_user_json (rows, i);
      /* Students meet their group mates, not their mail addresses. */
      if (req->auth.role == SD_ROLE_STUDENT &&
          g_strcmp0 (sd_db_rows_text (rows, i, "id"), req->auth.user_id) != 0)
        json_object_remove_member (o, "email");
      sd_json_set_time (o, "joined_at", sd_db_rows_int (rows, i, "joined_at"));
      json_object_set_boolean_member (o, "is_owner",
                                      g_strcmp0 (sd_db_rows_text (rows, i, "id"), group.owner_id) == 0);
      json_array_add_object_element (items, o);
    }
  sd_request_reply_json (req, 200, sd_page_result (items, sd_db_rows_n (rows) > n,
                                                   n > 0 ? sd_db_rows_int (rows, n - 1, "joined_at") : 0,
                                                   n > 0 ? sd_db_rows_text (rows, n - 1, "id") : NULL));
  return TRUE;
}

static gboolean
handle_member_remove (SdRequest  *req,
                      GError    **error)
{
  const char *id = sd_request_param (req, "id");
  const char *user_id = sd_request_param (req, "user_id");
  g_auto(SdApiGroup) group = { 0 };
  gint64 removed;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, id, &group, error))
    return FALSE;
  gboolean self = g_str_equal (user_id, req->auth.user_id);
  if (!self && !sd_api_group_require_manager (&group, error))
    return FALSE;
  if (g_str_equal (user_id, group.owner_id))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT,
                           self ? "the owner cannot leave the group; delete it instead"
                                : "the group's owner cannot be removed from it");
      return FALSE;
    }
  removed = sd_db_exec (sd_request_db (req), error,
                        "DELETE FROM group_members WHERE group_id = $1 AND org_id = $2 AND user_id = $3",
                        "sss", id, req->auth.org_id, user_id);
  if (removed < 0 || !sd_request_commit (req, error))
    return FALSE;
  if (removed == 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND,
                           self ? "you are not a member of this group" : "this person is not a member of the group");
      return FALSE;
    }
  sd_request_reply_empty (req, 204);
  return TRUE;
}

const SdRoute sd_api_groups_routes[] = {
  { "POST", "/groups", handle_create, SD_ROUTE_AUTH, name_fields, 0, NULL },
  { "GET", "/groups", handle_list, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/groups/{id}", handle_show, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "PATCH", "/groups/{id}", handle_rename, SD_ROUTE_AUTH, name_fields, 0, NULL },
  { "DELETE", "/groups/{id}", handle_delete, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "PUT", "/groups/{id}/avatar", handle_avatar_put, SD_ROUTE_AUTH | SD_ROUTE_NO_BODY_CHECK, NULL,
    SD_IMAGE_MAX_UPLOAD_BYTES, NULL },
  { "GET", "/groups/{id}/avatar", handle_avatar_get, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "DELETE", "/groups/{id}/avatar", handle_avatar_delete, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/groups/{id}/members", handle_members, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "DELETE", "/groups/{id}/members/{user_id}", handle_member_remove, SD_ROUTE_AUTH, NULL, 0, NULL },
  { NULL }
};
