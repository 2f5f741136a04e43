/* sd-api-media-common.c — assets and videos as the caller sees them, their
 * JSON, creating and deleting them with their uploads, storage keys and
 * quota.  The rules are in sd-api-media-common.h. */
#define G_LOG_DOMAIN "sd-api-media"

#include "api/sd-api-media-common.h"

#include "media/sd-media-strip.h"
#include "sd-server.h"
#include "storage/sd-storage.h"

#include <string.h>

/* The columns sd_api_video_json() reads. */
#define VIDEO_COLUMNS \
  "v.id, v.asset_id, v.position, v.filename, v.size, v.status, v.error_code, v.error_message," \
  " v.duration_ms, v.width, v.height, v.fps_num, v.fps_den, v.container, v.video_codec," \
  " v.audio_codec, v.thumbnail_key, v.strip_key, v.strip_frames, v.strip_interval_ms," \
  " v.playback_key, v.playback_type, v.upload_id, v.created_at, v.updated_at," \
  " u.received AS upload_received, u.status AS upload_status, u.sha256," \
  " u.expires_at AS upload_expires_at"
#define VIDEO_FROM \
  " FROM videos v LEFT JOIN uploads u ON u.id = v.upload_id AND u.org_id = v.org_id"

/* ---- assets ---- */

void
sd_api_asset_clear (SdApiAsset *asset)
{
  g_clear_pointer (&asset->rows, sd_db_rows_free);
  memset (asset, 0, sizeof *asset);
}

gboolean
sd_api_asset_load (SdRequest   *req,
                   const char  *asset_id,
                   SdApiAsset  *out,
                   GError     **error)
{
  SdDbRows *rows = sd_db_query (sd_request_db (req), error,
    "SELECT " SD_API_ASSET_COLUMNS ","
    "       EXISTS (SELECT 1 FROM group_members m"
    "                WHERE m.group_id = a.group_id AND m.org_id = a.org_id AND m.user_id = $3) AS is_member"
    SD_API_ASSET_FROM
    " WHERE a.id = $1 AND a.org_id = $2",
    "sss", asset_id, req->auth.org_id, req->auth.user_id);
  if (rows == NULL)
    return FALSE;

  if (sd_db_rows_n (rows) == 1)
    {
      const char *me = req->auth.user_id;
      out->is_owner = g_strcmp0 (sd_db_rows_text (rows, 0, "owner_id"), me) == 0;
      out->is_admin = req->auth.role == SD_ROLE_ADMIN;
      out->is_group_owner = g_strcmp0 (sd_db_rows_text (rows, 0, "group_owner_id"), me) == 0;
      out->is_group_expert = req->auth.role == SD_ROLE_EXPERT && sd_db_rows_bool (rows, 0, "is_member");
    }
  if (!(out->is_owner || out->is_admin || out->is_group_owner || out->is_group_expert))
    {
      sd_db_rows_free (rows);
      sd_api_asset_clear (out);
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such asset");
      return FALSE;
    }
  out->rows = rows;
  out->id = sd_db_rows_text (rows, 0, "id");
  out->group_id = sd_db_rows_text (rows, 0, "group_id");
  out->owner_id = sd_db_rows_text (rows, 0, "owner_id");
  out->status = sd_db_rows_text (rows, 0, "status");
  out->can_edit = out->is_owner || out->is_admin;
  out->can_delete = out->can_edit || out->is_group_owner;
  out->can_review = out->is_admin || out->is_group_owner || out->is_group_expert;
  return TRUE;
}

static void
set_time_or_null (JsonObject *o,
                  const char *name,
                  SdDbRows   *rows,
                  guint       i,
                  const char *column)
{
  if (sd_db_rows_is_null (rows, i, column))
    json_object_set_null_member (o, name);
  else
    sd_json_set_time (o, name, sd_db_rows_int (rows, i, column));
}

static void
set_int_or_null (JsonObject *o,
                 const char *name,
                 SdDbRows   *rows,
                 guint       i,
                 const char *column)
{
  if (sd_db_rows_is_null (rows, i, column))
    json_object_set_null_member (o, name);
  else
    json_object_set_int_member (o, name, sd_db_rows_int (rows, i, column));
}

JsonObject *
sd_api_asset_json (SdDbRows *rows,
                   guint     i)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "id", sd_db_rows_text (rows, i, "id"));
  json_object_set_string_member (o, "name", sd_db_rows_text (rows, i, "name"));
  json_object_set_string_member (o, "description", sd_db_rows_text (rows, i, "description"));
  json_object_set_string_member (o, "status", sd_db_rows_text (rows, i, "status"));
  json_object_set_string_member (o, "group_id", sd_db_rows_text (rows, i, "group_id"));
  json_object_set_string_member (o, "group_name", sd_db_rows_text (rows, i, "group_name"));
  json_object_set_string_member (o, "owner_id", sd_db_rows_text (rows, i, "owner_id"));
  json_object_set_string_member (o, "owner_name", sd_db_rows_text (rows, i, "owner_name"));
  json_object_set_int_member (o, "video_count", sd_db_rows_int (rows, i, "video_count"));
  sd_json_set_time (o, "created_at", sd_db_rows_int (rows, i, "created_at"));
  sd_json_set_time (o, "updated_at", sd_db_rows_int (rows, i, "updated_at"));
  set_time_or_null (o, "completed_at", rows, i, "completed_at");
  set_time_or_null (o, "finalized_at", rows, i, "finalized_at");
  sd_json_set_string_or_null (o, "finalized_by", sd_db_rows_text (rows, i, "finalized_by"));
  return o;
}

/* ---- videos ---- */

SdDbRows *
sd_api_videos_query (SdRequest   *req,
                     const char  *asset_id,
                     GError     **error)
{
  return sd_db_query (sd_request_db (req), error,
                      "SELECT " VIDEO_COLUMNS VIDEO_FROM
                      " WHERE v.asset_id = $1 AND v.org_id = $2 ORDER BY v.position, v.id",
                      "ss", asset_id, req->auth.org_id);
}

SdDbRows *
sd_api_video_load (SdRequest   *req,
                   const char  *video_id,
                   SdApiAsset  *asset,
                   GError     **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
                                          "SELECT " VIDEO_COLUMNS VIDEO_FROM
                                          " WHERE v.id = $1 AND v.org_id = $2",
                                          "ss", video_id, req->auth.org_id);
  if (rows == NULL)
    return NULL;
  g_autoptr(GError) local = NULL;
  if (sd_db_rows_n (rows) != 1 ||
      !sd_api_asset_load (req, sd_db_rows_text (rows, 0, "asset_id"), asset, &local))
    {
      if (local != NULL && !g_error_matches (local, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such video");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

JsonObject *
sd_api_video_json (SdRequest *req,
                   SdDbRows  *rows,
                   guint      i)
{
  JsonObject *o = json_object_new ();
  const char *id = sd_db_rows_text (rows, i, "id");
  const char *upload_id = sd_db_rows_text (rows, i, "upload_id");

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "asset_id", sd_db_rows_text (rows, i, "asset_id"));
  json_object_set_int_member (o, "position", sd_db_rows_int (rows, i, "position"));
  json_object_set_string_member (o, "filename", sd_db_rows_text (rows, i, "filename"));
  json_object_set_int_member (o, "size", sd_db_rows_int (rows, i, "size"));
  json_object_set_string_member (o, "status", sd_db_rows_text (rows, i, "status"));
  set_int_or_null (o, "duration_ms", rows, i, "duration_ms");
  set_int_or_null (o, "width", rows, i, "width");
  set_int_or_null (o, "height", rows, i, "height");
  gint64 fps_num = sd_db_rows_int (rows, i, "fps_num");
  gint64 fps_den = sd_db_rows_int (rows, i, "fps_den");
  if (fps_num > 0 && fps_den > 0)
    json_object_set_double_member (o, "fps", (double) fps_num / (double) fps_den);
  else
    json_object_set_null_member (o, "fps");
  set_int_or_null (o, "fps_num", rows, i, "fps_num");
  set_int_or_null (o, "fps_den", rows, i, "fps_den");
  sd_json_set_string_or_null (o, "container", sd_db_rows_text (rows, i, "container"));
  sd_json_set_string_or_null (o, "video_codec", sd_db_rows_text (rows, i, "video_codec"));
  sd_json_set_string_or_null (o, "audio_codec", sd_db_rows_text (rows, i, "audio_codec"));
  if (sd_db_rows_text (rows, i, "thumbnail_key") != NULL)
    {
      g_autofree char *url = g_strdup_printf ("/videos/%s/thumbnail", id);
      json_object_set_string_member (o, "thumbnail_url", url);
    }
  else
    json_object_set_null_member (o, "thumbnail_url");
  if (sd_db_rows_text (rows, i, "strip_key") != NULL)
    {
      /* Frame n covers [n·interval_ms, (n+1)·interval_ms), at column
       * n % columns, row n / columns (media/sd-media-strip.h). */
      JsonObject *strip = json_object_new ();
      g_autofree char *url = g_strdup_printf ("/videos/%s/strip", id);
      gint64 frames = sd_db_rows_int (rows, i, "strip_frames");
      json_object_set_string_member (strip, "url", url);
      json_object_set_int_member (strip, "frames", frames);
      json_object_set_int_member (strip, "interval_ms", sd_db_rows_int (rows, i, "strip_interval_ms"));
      json_object_set_int_member (strip, "columns", MIN (frames, SD_MEDIA_STRIP_COLUMNS));
      json_object_set_int_member (strip, "tile_width", SD_MEDIA_STRIP_TILE_WIDTH);
      json_object_set_object_member (o, "strip", strip);
    }
  else
    json_object_set_null_member (o, "strip");
  sd_json_set_string_or_null (o, "playback_type", sd_db_rows_text (rows, i, "playback_type"));
  sd_json_set_string_or_null (o, "sha256", sd_db_rows_text (rows, i, "sha256"));

  const char *error_code = sd_db_rows_text (rows, i, "error_code");
  if (error_code != NULL)
    {
      JsonObject *e = json_object_new ();
      json_object_set_string_member (e, "code", error_code);
      sd_json_set_string_or_null (e, "message", sd_db_rows_text (rows, i, "error_message"));
      json_object_set_object_member (o, "error", e);
    }
  else
    json_object_set_null_member (o, "error");

  sd_json_set_string_or_null (o, "upload_id", upload_id);
  if (upload_id != NULL)
    {
      g_autofree char *url = sd_api_upload_url (req, upload_id);
      json_object_set_string_member (o, "upload_url", url);
      json_object_set_int_member (o, "uploaded_bytes", sd_db_rows_int (rows, i, "upload_received"));
    }
  else
    {
      json_object_set_null_member (o, "upload_url");
      json_object_set_null_member (o, "uploaded_bytes");
    }
  if (g_strcmp0 (sd_db_rows_text (rows, i, "upload_status"), "receiving") == 0)
    sd_json_set_time (o, "upload_expires_at", sd_db_rows_int (rows, i, "upload_expires_at"));
  else
    json_object_set_null_member (o, "upload_expires_at");
  sd_json_set_time (o, "created_at", sd_db_rows_int (rows, i, "created_at"));
  sd_json_set_time (o, "updated_at", sd_db_rows_int (rows, i, "updated_at"));
  return o;
}

JsonObject *
sd_api_asset_json_with_videos (SdRequest   *req,
                               SdDbRows    *asset_rows,
                               GError     **error)
{
  g_autoptr(SdDbRows) videos = sd_api_videos_query (req, sd_db_rows_text (asset_rows, 0, "id"), error);
  if (videos == NULL)
    return NULL;
  JsonObject *o = sd_api_asset_json (asset_rows, 0);
  JsonArray *array = json_array_new ();
  for (guint i = 0; i < sd_db_rows_n (videos); i++)
    json_array_add_object_element (array, sd_api_video_json (req, videos, i));
  json_object_set_array_member (o, "videos", array);
  return o;
}

gboolean
sd_api_asset_reply_created (SdRequest   *req,
                            const char  *asset_id,
                            GError     **error)
{
  g_auto(SdApiAsset) asset = { 0 };
  if (!sd_api_asset_load (req, asset_id, &asset, error))
    return FALSE;
  g_autoptr(SdDbRows) videos = sd_api_videos_query (req, asset_id, error);
  if (videos == NULL || !sd_request_commit (req, error))
    return FALSE;

  JsonArray *array = json_array_new ();
  for (guint i = 0; i < sd_db_rows_n (videos); i++)
    json_array_add_object_element (array, sd_api_video_json (req, videos, i));
  JsonObject *o = json_object_new ();
  json_object_set_object_member (o, "asset", sd_api_asset_json (asset.rows, 0));
  json_object_set_array_member (o, "videos", array);
  sd_request_reply_json (req, 201, o);
  return TRUE;
}

/* ---- quota ---- */

/* Reserves @bytes of the caller's organization's storage, or fails with
 * QUOTA_EXCEEDED. */
static gboolean
quota_reserve (SdRequest   *req,
               gint64       bytes,
               GError     **error)
{
  SdDbConn *db = sd_request_db (req);
  gint64 default_quota = sd_request_config (req)->storage_quota_bytes;
  gint64 n = sd_db_exec (db, error,
                         "UPDATE organizations SET storage_used = storage_used + $2"
                         " WHERE id = $1 AND storage_used + $2 <= COALESCE(storage_quota, $3)",
                         "sii", req->auth.org_id, bytes, default_quota);
  if (n < 0)
    return FALSE;
  if (n == 1)
    return TRUE;

  g_autoptr(SdDbRows) rows = sd_db_query (db, error,
                                          "SELECT storage_used, COALESCE(storage_quota, $2) AS quota"
                                          "  FROM organizations WHERE id = $1",
                                          "si", req->auth.org_id, default_quota);
  if (rows == NULL)
    return FALSE;
  gint64 used = sd_db_rows_n (rows) == 1 ? sd_db_rows_int (rows, 0, "storage_used") : 0;
  gint64 quota = sd_db_rows_n (rows) == 1 ? sd_db_rows_int (rows, 0, "quota") : default_quota;
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_QUOTA_EXCEEDED,
               "the organization's storage quota is %" G_GINT64_FORMAT " bytes, %" G_GINT64_FORMAT
               " are in use, and this needs %" G_GINT64_FORMAT " more",
               quota, used, bytes);
  return FALSE;
}

gboolean
sd_api_quota_release_db (SdDbConn    *db,
                         const char  *org_id,
                         gint64       bytes,
                         GError     **error)
{
  if (bytes <= 0)
    return TRUE;
  return sd_db_exec (db, error,
                     "UPDATE organizations SET storage_used ="
                     " CASE WHEN storage_used > $2 THEN storage_used - $2 ELSE 0 END"
                     " WHERE id = $1",
                     "si", org_id, bytes) >= 0;
}

gboolean
sd_api_quota_release (SdRequest   *req,
                      gint64       bytes,
                      GError     **error)
{
  return sd_api_quota_release_db (sd_request_db (req), req->auth.org_id, bytes, error);
}

/* ---- creating ---- */

gboolean
sd_api_media_text_ok (const char *text,
                      gboolean    multiline)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (multiline && (c == '\n' || c == '\t'))
        continue;
      if (g_unichar_iscntrl (c) || (!multiline && (c == 0x2028 || c == 0x2029)))
        return FALSE;
    }
  return TRUE;
}

char *
sd_api_asset_create (SdRequest           *req,
                     const char          *group_id,
                     const char          *name,
                     const char          *description,
                     const SdApiNewFile  *files,
                     guint                n_files,
                     const char          *tus_metadata,
                     GError             **error)
{
  SdDbConn *db = sd_request_db (req);
  const SdConfig *config = sd_request_config (req);
  const char *org = req->auth.org_id;
  gint64 now = sd_request_now (req);
  gint64 total = 0;

  g_autoptr(SdDbRows) group = sd_db_query (db, error,
    "SELECT g.owner_id, EXISTS (SELECT 1 FROM group_members m"
    "        WHERE m.group_id = g.id AND m.org_id = g.org_id AND m.user_id = $3) AS is_member"
    "  FROM groups g WHERE g.id = $1 AND g.org_id = $2",
    "sss", group_id, org, req->auth.user_id);
  if (group == NULL)
    return NULL;
  if (sd_db_rows_n (group) != 1 ||
      !(req->auth.role == SD_ROLE_ADMIN || sd_db_rows_bool (group, 0, "is_member") ||
        g_strcmp0 (sd_db_rows_text (group, 0, "owner_id"), req->auth.user_id) == 0))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such group");
      return NULL;
    }

  for (guint i = 0; i < n_files; i++)
    {
      if (files[i].size > config->max_upload_bytes)
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PAYLOAD_TOO_LARGE,
                       "“%s” has %" G_GINT64_FORMAT " bytes; a file may have at most %" G_GINT64_FORMAT,
                       files[i].filename, files[i].size, config->max_upload_bytes);
          return NULL;
        }
      total += files[i].size;   /* no overflow: each is at most max_upload_bytes */
    }
  if (!quota_reserve (req, total, error))
    return NULL;

  g_autofree char *asset_id = g_uuid_string_random ();
  if (sd_db_exec (db, error,
                  "INSERT INTO assets (id, org_id, group_id, owner_id, name, description, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                  "ssssssi", asset_id, org, group_id, req->auth.user_id, name,
                  description != NULL ? description : "", now) < 0)
    return NULL;

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *upload_id = g_uuid_string_random ();
      g_autofree char *video_id = g_uuid_string_random ();
      g_autofree char *key = sd_api_upload_key (org, upload_id);
      g_autofree char *b64 = g_base64_encode ((const guchar *) files[i].filename, strlen (files[i].filename));
      g_autofree char *metadata = tus_metadata != NULL ? g_strdup (tus_metadata)
                                                       : g_strconcat ("filename ", b64, NULL);
      if (sd_db_exec (db, error,
                      "INSERT INTO uploads (id, org_id, owner_id, filename, length, metadata, storage_key,"
                      "                     created_at, updated_at, expires_at)"
                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)",
                      "ssssissii", upload_id, org, req->auth.user_id, files[i].filename, files[i].size,
                      metadata, key, now, now + config->upload_ttl_s) < 0 ||
          sd_db_exec (db, error,
                      "INSERT INTO videos (id, org_id, asset_id, upload_id, position, filename, size,"
                      "                    created_at, updated_at)"
                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
                      "ssssisii", video_id, org, asset_id, upload_id, (gint64) i, files[i].filename,
                      files[i].size, now) < 0)
        return NULL;
    }
  return g_steal_pointer (&asset_id);
}

/* ---- deleting ---- */

void
sd_api_media_files_init (SdApiMediaFiles *files)
{
  files->keys = g_ptr_array_new_with_free_func (g_free);
  files->prefixes = g_ptr_array_new_with_free_func (g_free);
}

void
sd_api_media_files_clear (SdApiMediaFiles *files)
{
  g_clear_pointer (&files->keys, g_ptr_array_unref);
  g_clear_pointer (&files->prefixes, g_ptr_array_unref);
}

void
sd_api_media_files_remove_from (SdStorage       *storage,
                                SdApiMediaFiles *files)
{
  for (guint i = 0; files->keys != NULL && i < files->keys->len; i++)
    {
      g_autoptr(GError) error = NULL;
      if (!sd_storage_remove (storage, g_ptr_array_index (files->keys, i), &error))
        g_warning ("cannot remove a deleted video's file: %s", error->message);
    }
  for (guint i = 0; files->prefixes != NULL && i < files->prefixes->len; i++)
    {
      g_autoptr(GError) error = NULL;
      if (!sd_storage_remove_prefix (storage, g_ptr_array_index (files->prefixes, i), &error))
        g_warning ("cannot remove a deleted video's files: %s", error->message);
    }
}

void
sd_api_media_files_remove (SdRequest       *req,
                           SdApiMediaFiles *files)
{
  sd_api_media_files_remove_from (sd_request_storage (req), files);
}

static void
add_key (GPtrArray  *keys,
         const char *key)
{
  if (key != NULL && sd_storage_key_valid (key))
    g_ptr_array_add (keys, g_strdup (key));
}

gint64
sd_api_videos_delete_db (SdDbConn         *db,
                         const char       *org,
                         const char       *asset_id,
                         const char       *video_id,
                         SdApiMediaFiles  *files,
                         GError          **error)
{
  const char *nil = "00000000-0000-0000-0000-000000000000";
  gint64 release = 0;

  g_autoptr(SdDbRows) rows = sd_db_query (db, error,
    "SELECT v.id, v.upload_id, v.derived_bytes, v.source_key, v.thumbnail_key, v.strip_key,"
    "       v.playback_key, u.length, u.storage_key"
    VIDEO_FROM
    " WHERE v.asset_id = $1 AND v.org_id = $2 AND (v.id = $3 OR $4 = 0)",
    "sssb", asset_id, org, video_id != NULL ? video_id : nil, video_id != NULL);
  if (rows == NULL)
    return -1;

  for (guint i = 0; i < sd_db_rows_n (rows); i++)
    {
      const char *id = sd_db_rows_text (rows, i, "id");
      const char *upload_id = sd_db_rows_text (rows, i, "upload_id");
      add_key (files->keys, sd_db_rows_text (rows, i, "storage_key"));
      add_key (files->keys, sd_db_rows_text (rows, i, "source_key"));
      add_key (files->keys, sd_db_rows_text (rows, i, "thumbnail_key"));
      add_key (files->keys, sd_db_rows_text (rows, i, "strip_key"));
      add_key (files->keys, sd_db_rows_text (rows, i, "playback_key"));
      g_ptr_array_add (files->prefixes, sd_api_video_prefix (org, id));

      /* Dependants explicitly, so every statement carries the organization.
       * The bytes released are those of the rows really deleted, as they
       * were then: the media worker may have changed them since the SELECT
       * (a video turned ready counts derived bytes; one that failed has
       * released its upload already). */
      if (sd_db_exec (db, error, "DELETE FROM reviews WHERE video_id = $1 AND org_id = $2",
                      "ss", id, org) < 0)
        return -1;
      g_autoptr(SdDbRows) video = sd_db_query (db, error,
                                               "DELETE FROM videos WHERE id = $1 AND org_id = $2"
                                               " RETURNING derived_bytes",
                                               "ss", id, org);
      if (video == NULL)
        return -1;
      if (sd_db_rows_n (video) == 1)
        release += sd_db_rows_int (video, 0, "derived_bytes");
      if (upload_id != NULL)
        {
          g_autoptr(SdDbRows) upload = sd_db_query (db, error,
                                                    "DELETE FROM uploads WHERE id = $1 AND org_id = $2"
                                                    " RETURNING length",
                                                    "ss", upload_id, org);
          if (upload == NULL)
            return -1;
          if (sd_db_rows_n (upload) == 1)
            release += sd_db_rows_int (upload, 0, "length");
        }
    }
  if (!sd_api_quota_release_db (db, org, release, error))
    return -1;
  return sd_db_rows_n (rows);
}

gint64
sd_api_videos_delete (SdRequest        *req,
                      const char       *asset_id,
                      const char       *video_id,
                      SdApiMediaFiles  *files,
                      GError          **error)
{
  return sd_api_videos_delete_db (sd_request_db (req), req->auth.org_id, asset_id, video_id,
                                  files, error);
}

gboolean
sd_api_video_drop_files_db (SdDbConn         *db,
                            const char       *org,
                            const char       *video_id,
                            SdApiMediaFiles  *files,
                            GError          **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (db, error,
    "SELECT v.upload_id, v.derived_bytes, v.source_key, v.thumbnail_key, v.strip_key, v.playback_key,"
    "       u.storage_key"
    VIDEO_FROM
    " WHERE v.id = $1 AND v.org_id = $2",
    "ss", video_id, org);
  if (rows == NULL)
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    return TRUE;

  const char *upload_id = sd_db_rows_text (rows, 0, "upload_id");
  gint64 release = sd_db_rows_int (rows, 0, "derived_bytes");
  add_key (files->keys, sd_db_rows_text (rows, 0, "storage_key"));
  add_key (files->keys, sd_db_rows_text (rows, 0, "source_key"));
  add_key (files->keys, sd_db_rows_text (rows, 0, "thumbnail_key"));
  add_key (files->keys, sd_db_rows_text (rows, 0, "strip_key"));
  add_key (files->keys, sd_db_rows_text (rows, 0, "playback_key"));
  g_ptr_array_add (files->prefixes, sd_api_video_prefix (org, video_id));

  if (sd_db_exec (db, error,
                  "UPDATE videos SET upload_id = NULL, source_key = NULL, thumbnail_key = NULL,"
                  " strip_key = NULL, strip_frames = NULL, strip_interval_ms = NULL,"
                  " playback_key = NULL, playback_type = NULL, derived_bytes = 0"
                  " WHERE id = $1 AND org_id = $2",
                  "ss", video_id, org) < 0)
    return FALSE;
  if (upload_id != NULL)
    {
      /* What is really deleted is released: never twice. */
      g_autoptr(SdDbRows) upload = sd_db_query (db, error,
                                                "DELETE FROM uploads WHERE id = $1 AND org_id = $2"
                                                " RETURNING length",
                                                "ss", upload_id, org);
      if (upload == NULL)
        return FALSE;
      if (sd_db_rows_n (upload) == 1)
        release += sd_db_rows_int (upload, 0, "length");
    }
  return sd_api_quota_release_db (db, org, release, error);
}

gboolean
sd_api_upload_delete_db (SdDbConn         *db,
                         const char       *org,
                         const char       *upload_id,
                         gint64            expired_by,
                         SdApiMediaFiles  *files,
                         GError          **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (db, error,
    "SELECT u.length, u.storage_key, v.id AS video_id, v.asset_id"
    "  FROM uploads u LEFT JOIN videos v ON v.upload_id = u.id AND v.org_id = u.org_id"
    " WHERE u.id = $1 AND u.org_id = $2"
    "   AND ($3 = 0 OR (u.status = 'receiving' AND u.expires_at <= $3))",
    "ssi", upload_id, org, expired_by);
  if (rows == NULL || sd_db_rows_n (rows) == 0)
    return FALSE;

  const char *video_id = sd_db_rows_text (rows, 0, "video_id");
  const char *asset_id = sd_db_rows_text (rows, 0, "asset_id");
  if (video_id != NULL)
    /* The upload goes with its video, and the asset when nothing is left. */
    return sd_api_videos_delete_db (db, org, asset_id, video_id, files, error) >= 0 &&
           sd_db_exec (db, error,
                       "DELETE FROM assets WHERE id = $1 AND org_id = $2"
                       "   AND NOT EXISTS (SELECT 1 FROM videos v WHERE v.asset_id = $1 AND v.org_id = $2)",
                       "ss", asset_id, org) >= 0;

  add_key (files->keys, sd_db_rows_text (rows, 0, "storage_key"));
  return sd_db_exec (db, error, "DELETE FROM uploads WHERE id = $1 AND org_id = $2",
                     "ss", upload_id, org) >= 0 &&
         sd_api_quota_release_db (db, org, sd_db_rows_int (rows, 0, "length"), error);
}

/* ---- URLs and keys ---- */

const char *
sd_api_public_url (SdRequest *req)
{
  const char *configured = sd_request_config (req)->public_url;
  /* A derived URL of a server started on port 0 (tests): the real one. */
  if (configured == NULL || g_str_has_suffix (configured, ":0"))
    return sd_server_get_url (req->server);
  return configured;
}

char *
sd_api_upload_url (SdRequest  *req,
                   const char *upload_id)
{
  return g_strconcat (sd_api_public_url (req), "/uploads/", upload_id, NULL);
}

char *
sd_api_upload_key (const char *org_id,
                   const char *upload_id)
{
  return g_strconcat (org_id, "/uploads/", upload_id, NULL);
}

char *
sd_api_video_prefix (const char *org_id,
                     const char *video_id)
{
  return g_strconcat (org_id, "/videos/", video_id, NULL);
}
