/* sd-api-assets.c — assets: a named set of videos a student uploads for
 * review in one of their groups.
 *
 *   POST   /assets                 create with the files it will hold: one video
 *                                  and one tus upload (upload_url) per file
 *   GET    /assets                 list (?group_id= &status= &owner_id=), newest first
 *   GET    /assets/{id}            one asset with its videos
 *   PATCH  /assets/{id}            name, description
 *   DELETE /assets/{id}            with its videos, uploads, reviews and files
 *   POST   /assets/{id}/complete   waiting_upload -> pending, once every video is ready
 *
 * Who may do what (visibility rules in sd-api-media-common.h):
 *   create            members of the group, its owner, admins
 *   see, list         the owner, admins, the group's owner, experts of the group;
 *                     others get 404
 *   rename, complete  the owner and admins (others who see it get 403)
 *   delete            the owner, admins and the group's owner
 *
 * Status: waiting_upload (videos being uploaded and processed) -> pending
 * (ready for review) -> completed (finalized by an expert; not here). */
#define G_LOG_DOMAIN "sd-api-assets"

#include "api/sd-api-media-common.h"

#include <string.h>

#define MAX_FILES 20

/* ---- helpers ---- */

/* The trimmed @name member of the body (validated as a string), or NULL
 * with VALIDATION when it holds control characters. */
static char *
body_text (SdRequest   *req,
           const char  *name,
           gboolean     multiline,
           GError     **error)
{
  const char *value = sd_json_get_string (req->body, name);
  g_autofree char *text = g_strstrip (g_strdup (value != NULL ? value : ""));
  if (!sd_api_media_text_ok (text, multiline))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   multiline ? "“%s” may not contain control characters"
                             : "“%s” may not contain line breaks or control characters", name);
      return NULL;
    }
  return g_steal_pointer (&text);
}

/* files: [{"filename", "size"}, …] -> @out (filenames belong to the body). */
static gboolean
body_files (SdRequest  *req,
            GArray     *out,
            GError    **error)
{
  JsonArray *array = json_object_get_array_member (req->body, "files");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *filename = sd_json_get_string (o, "filename");
      gint64 size = sd_json_get_int (o, "size", -1);
      g_autofree char *trimmed = g_strstrip (g_strdup (filename != NULL ? filename : ""));
      if (filename == NULL || *trimmed == '\0' || g_utf8_strlen (filename, -1) > 255 ||
          !sd_api_media_text_ok (filename, FALSE) || strpbrk (filename, "/\\") != NULL)
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                       "files[%u].filename must be a file name of 1 to 255 characters, without a path", i);
          return FALSE;
        }
      if (size < 1)
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                       "files[%u].size must be the file's size in bytes (at least 1)", i);
          return FALSE;
        }
      SdApiNewFile f = { filename, size };
      g_array_append_val (out, f);
    }
  return TRUE;
}

static gboolean
reply_asset (SdRequest   *req,
             guint        status,
             const char  *asset_id,
             GError     **error)
{
  g_auto(SdApiAsset) asset = { 0 };
  if (!sd_api_asset_load (req, asset_id, &asset, error))
    return FALSE;
  JsonObject *o = sd_api_asset_json_with_videos (req, asset.rows, error);
  if (o == NULL)
    return FALSE;
  if (!sd_request_commit (req, error))
    {
      json_object_unref (o);
      return FALSE;
    }
  sd_request_reply_json (req, status, o);
  return TRUE;
}

/* ---- POST /assets ---- */

static const SdField create_fields[] = {
  { "name", SD_FIELD_STRING, SD_FIELD_REQUIRED | SD_FIELD_TRIM, 1, 200 },
  { "description", SD_FIELD_STRING, SD_FIELD_OPTIONAL | SD_FIELD_NULLABLE, 0, 5000 },
  { "group_id", SD_FIELD_STRING, SD_FIELD_REQUIRED, 36, 36 },
  { "files", SD_FIELD_ARRAY, SD_FIELD_REQUIRED, 1, MAX_FILES },
  { NULL }
};

static gboolean
handle_create (SdRequest  *req,
               GError    **error)
{
  const char *group_id = sd_json_get_string (req->body, "group_id");
  g_autoptr(GArray) files = g_array_new (FALSE, FALSE, sizeof (SdApiNewFile));

  if (!sd_json_is_uuid (group_id))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“group_id” must be a group's id");
      return FALSE;
    }
  g_autofree char *name = body_text (req, "name", FALSE, error);
  if (name == NULL)
    return FALSE;
  g_autofree char *description = body_text (req, "description", TRUE, error);
  if (description == NULL || !body_files (req, files, error))
    return FALSE;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error))
    return FALSE;
  g_autofree char *asset_id = sd_api_asset_create (req, group_id, name, description,
                                                   (const SdApiNewFile *) (gpointer) files->data,
                                                   files->len, NULL, error);
  if (asset_id == NULL)
    return FALSE;
  return sd_api_asset_reply_created (req, asset_id, error);
}

/* ---- GET /assets ---- */

static JsonObject *
asset_item (SdRequest *req, SdDbRows *rows, guint i, gpointer data)
{
  return sd_api_asset_json (rows, i);
}

static gboolean
handle_list (SdRequest  *req,
             GError    **error)
{
  static const char *const statuses[] = { "waiting_upload", "pending", "completed", NULL };
  const char *nil = "00000000-0000-0000-0000-000000000000";
  const char *group_id = sd_request_query (req, "group_id");
  const char *status = sd_request_query (req, "status");
  const char *owner_id = sd_request_query (req, "owner_id");
  g_auto(SdPage) page = { 0 };

  if ((group_id != NULL && !sd_json_is_uuid (group_id)) ||
      (owner_id != NULL && !sd_json_is_uuid (owner_id)) ||
      (status != NULL && !g_strv_contains (statuses, status)))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                           "group_id and owner_id must be ids; status one of waiting_upload, pending, completed");
      return FALSE;
    }
  if (!sd_page_parse (req, &page, error))
    return FALSE;
  /* Newest first: the cursor's (created_at, id) is an upper bound. */
  gint64 before_time = page.after_time >= 0 ? page.after_time : G_MAXINT64;
  const char *before_id = page.after_time >= 0 ? page.after_id : "ffffffff-ffff-ffff-ffff-ffffffffffff";

  if (!sd_request_begin (req, SD_DB_TX_READ, error))
    return FALSE;
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
    "SELECT " SD_API_ASSET_COLUMNS SD_API_ASSET_FROM
    " WHERE a.org_id = $1"
    "   AND ($2 = 1 OR a.owner_id = $3 OR g.owner_id = $3"
    "        OR ($4 = 1 AND EXISTS (SELECT 1 FROM group_members m"
    "                                WHERE m.group_id = a.group_id AND m.org_id = a.org_id"
    "                                  AND m.user_id = $3)))"
    "   AND (a.group_id = $5 OR $6 = 0)"
    "   AND (a.status = $7 OR $8 = 0)"
    "   AND (a.owner_id = $9 OR $10 = 0)"
    "   AND (a.created_at < $11 OR (a.created_at = $11 AND a.id < $12))"
    " ORDER BY a.created_at DESC, a.id DESC LIMIT $13",
    "sbsbsbsbsbisi",
    req->auth.org_id, req->auth.role == SD_ROLE_ADMIN, req->auth.user_id,
    req->auth.role == SD_ROLE_EXPERT,
    group_id != NULL ? group_id : nil, group_id != NULL,
    status != NULL ? status : "", status != NULL,
    owner_id != NULL ? owner_id : nil, owner_id != NULL,
    before_time, before_id, page.limit + 1);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;
  sd_page_reply (req, &page, rows, "created_at", asset_item, NULL);
  return TRUE;
}

/* ---- GET/PATCH/DELETE /assets/{id} ---- */

static gboolean
handle_show (SdRequest  *req,
             GError    **error)
{
  return sd_request_begin (req, SD_DB_TX_READ, error) &&
         reply_asset (req, 200, sd_request_param (req, "id"), error);
}

static const SdField edit_fields[] = {
  { "name", SD_FIELD_STRING, SD_FIELD_OPTIONAL | SD_FIELD_TRIM, 1, 200 },
  { "description", SD_FIELD_STRING, SD_FIELD_OPTIONAL, 0, 5000 },
  { NULL }
};

static gboolean
require_edit (const SdApiAsset  *asset,
              GError           **error)
{
  if (asset->can_edit)
    return TRUE;
  g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                       "only the asset's owner and the organization's admins may do that");
  return FALSE;
}

static gboolean
handle_edit (SdRequest  *req,
             GError    **error)
{
  const char *id = sd_request_param (req, "id");
  SdDbConn *db = sd_request_db (req);
  gint64 now = sd_request_now (req);
  g_auto(SdApiAsset) asset = { 0 };
  g_autofree char *name = NULL, *description = NULL;

  if (!sd_json_has (req->body, "name") && !sd_json_has (req->body, "description"))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "send “name” or “description”");
      return FALSE;
    }
  if ((sd_json_has (req->body, "name") && (name = body_text (req, "name", FALSE, error)) == NULL) ||
      (sd_json_has (req->body, "description") &&
       (description = body_text (req, "description", TRUE, error)) == NULL))
    return FALSE;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_asset_load (req, id, &asset, error) ||
      !require_edit (&asset, error) ||
      (name != NULL &&
       sd_db_exec (db, error, "UPDATE assets SET name = $3, updated_at = $4 WHERE id = $1 AND org_id = $2",
                   "sssi", id, req->auth.org_id, name, now) < 0) ||
      (description != NULL &&
       sd_db_exec (db, error, "UPDATE assets SET description = $3, updated_at = $4 WHERE id = $1 AND org_id = $2",
                   "sssi", id, req->auth.org_id, description, now) < 0))
    return FALSE;
  return reply_asset (req, 200, id, error);
}

static gboolean
handle_delete (SdRequest  *req,
               GError    **error)
{
  const char *id = sd_request_param (req, "id");
  SdDbConn *db = sd_request_db (req);
  g_auto(SdApiAsset) asset = { 0 };
  g_auto(SdApiMediaFiles) files = { 0 };

  sd_api_media_files_init (&files);
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_asset_load (req, id, &asset, error))
    return FALSE;
  if (!asset.can_delete)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                           "only the asset's owner, the group's owner and the organization's admins may delete it");
      return FALSE;
    }
  if (sd_api_videos_delete (req, id, NULL, &files, error) < 0 ||
      sd_db_exec (db, error, "DELETE FROM reviews WHERE asset_id = $1 AND org_id = $2",
                  "ss", id, req->auth.org_id) < 0 ||
      sd_db_exec (db, error, "DELETE FROM assets WHERE id = $1 AND org_id = $2",
                  "ss", id, req->auth.org_id) < 0 ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_api_media_files_remove (req, &files);
  sd_request_reply_empty (req, 204);
  return TRUE;
}

/* ---- POST /assets/{id}/complete ---- */

/* Why video @i of @videos keeps the asset from being complete, or NULL. */
static char *
video_not_ready (SdDbRows *videos,
                 guint     i)
{
  const char *status = sd_db_rows_text (videos, i, "status");
  const char *filename = sd_db_rows_text (videos, i, "filename");
  if (g_str_equal (status, "ready"))
    return NULL;
  if (g_str_equal (status, "waiting_upload"))
    return g_strdup_printf ("video “%s” is not uploaded yet (%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " bytes)",
                            filename, sd_db_rows_int (videos, i, "upload_received"),
                            sd_db_rows_int (videos, i, "size"));
  if (g_str_equal (status, "processing"))
    return g_strdup_printf ("video “%s” is still being processed", filename);
  const char *why = sd_db_rows_text (videos, i, "error_message");
  return g_strdup_printf ("video “%s” failed%s%s; delete the asset and upload again", filename,
                          why != NULL ? ": " : "", why != NULL ? why : "");
}

static gboolean
handle_complete (SdRequest  *req,
                 GError    **error)
{
  const char *id = sd_request_param (req, "id");
  g_auto(SdApiAsset) asset = { 0 };
  g_autoptr(SdDbRows) videos = NULL;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_asset_load (req, id, &asset, error) ||
      !require_edit (&asset, error))
    return FALSE;
  if (!g_str_equal (asset.status, "waiting_upload"))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_TRANSITION,
                   "the asset is %s already", asset.status);
      return FALSE;
    }
  if ((videos = sd_api_videos_query (req, id, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < sd_db_rows_n (videos); i++)
    {
      g_autofree char *why = video_not_ready (videos, i);
      if (why != NULL)
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_TRANSITION,
                       "the asset cannot be completed: %s", why);
          return FALSE;
        }
    }
  gint64 now = sd_request_now (req);
  if (sd_db_exec (sd_request_db (req), error,
                  "UPDATE assets SET status = 'pending', completed_at = $3, updated_at = $3"
                  " WHERE id = $1 AND org_id = $2 AND status = 'waiting_upload'",
                  "ssi", id, req->auth.org_id, now) < 0)
    return FALSE;
  return reply_asset (req, 200, id, error);
}

const SdRoute sd_api_assets_routes[] = {
  { "POST", "/assets", handle_create, SD_ROUTE_AUTH, create_fields, 0, NULL, NULL },
  { "GET", "/assets", handle_list, SD_ROUTE_AUTH, NULL, 0, NULL, NULL },
  { "GET", "/assets/{id}", handle_show, SD_ROUTE_AUTH, NULL, 0, NULL, NULL },
  { "PATCH", "/assets/{id}", handle_edit, SD_ROUTE_AUTH, edit_fields, 0, NULL, NULL },
  { "DELETE", "/assets/{id}", handle_delete, SD_ROUTE_AUTH, NULL, 0, NULL, NULL },
  { "POST", "/assets/{id}/complete", handle_complete, SD_ROUTE_AUTH, NULL, 0, NULL, NULL },
  { NULL }
};
