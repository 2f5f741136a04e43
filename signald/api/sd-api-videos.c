/* sd-api-videos.c — videos: their JSON, thumbnail and timeline strip, and
 * playback through signed, expiring URLs.
 *
 *   GET /videos/{id}             the video (visibility: see sd-api-videos.h)
 *   GET /videos/{id}/thumbnail   the thumbnail picture
 *   GET /videos/{id}/strip       the timeline strip (frames, interval_ms and
 *                                layout in the video's "strip")
 *   GET /videos/{id}/playback    {"url","expires_at","mime_type"}: an
 *                                absolute URL valid for an hour
 *   GET /videos/{id}/stream      the playable file, for whoever holds a valid
 *                                signature (no token: players such as
 *                                souphttpsrc or a browser's <video> cannot
 *                                send one), with HTTP Range requests (206,
 *                                416), streamed from storage
 *
 * The signature is HMAC-SHA256 over ("playback", video id, organization,
 * expiry) with the server's secret (auth/sd-url-sign.h); a wrong, missing
 * or expired one is 403.  The URL's host is the one the caller used to reach
 * this server, so it works from where the caller is.
 *
 * Visibility: a video is visible to the owner of its asset, the admins of
 * the organization, the owner of the asset's group and the experts who are
 * members of that group.  To anybody else it does not exist (404), and
 * other organizations never see it (row-level security and org_id in every
 * query).  (The same rule as the asset routes' loader; the two are to be
 * made one.) */
#define G_LOG_DOMAIN "sd-api-videos"

#include "api/sd-api.h"
#include "api/sd-api-stream.h"
#include "auth/sd-url-sign.h"
#include "media/sd-media-strip.h"
#include "sd-server.h"
#include "storage/sd-storage.h"

#include <string.h>

#define PLAYBACK_TTL_S 3600

/* The columns video_json() reads; "v" is the videos table. */
#define VIDEO_COLUMNS \
  "v.id, v.asset_id, v.position, v.filename, v.size, v.status, v.error_code, v.error_message," \
  " v.duration_ms, v.width, v.height, v.fps_num, v.fps_den, v.container, v.video_codec," \
  " v.audio_codec, v.thumbnail_key, v.strip_key, v.strip_frames, v.strip_interval_ms," \
  " v.playback_key, v.playback_type, v.created_at, v.updated_at"
#define SIGN_KIND "playback"

/* ---- shared ---- */

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

static void
set_string_or_null (JsonObject *o,
                    const char *name,
                    SdDbRows   *rows,
                    guint       i,
                    const char *column)
{
  const char *value = sd_db_rows_text (rows, i, column);
  if (value == NULL)
    json_object_set_null_member (o, name);
  else
    json_object_set_string_member (o, name, value);
}

/* {"id","asset_id","position","filename","size","status","error",
 *  "duration_ms","width","height","fps_num","fps_den","container",
 *  "video_codec","audio_codec","thumbnail_url","strip","playback_type",
 *  "created_at","updated_at"}; the media fields are null until the video
 * is ready, "error" is null unless it failed. */
static JsonObject *
video_json (SdDbRows *rows,
            guint     i)
{
  JsonObject *o = json_object_new ();
  const char *id = sd_db_rows_text (rows, i, "id");
  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "asset_id", sd_db_rows_text (rows, i, "asset_id"));
  json_object_set_int_member (o, "position", sd_db_rows_int (rows, i, "position"));
  json_object_set_string_member (o, "filename", sd_db_rows_text (rows, i, "filename"));
  json_object_set_int_member (o, "size", sd_db_rows_int (rows, i, "size"));
  json_object_set_string_member (o, "status", sd_db_rows_text (rows, i, "status"));
  if (sd_db_rows_text (rows, i, "error_code") != NULL)
    {
      JsonObject *e = json_object_new ();
      json_object_set_string_member (e, "code", sd_db_rows_text (rows, i, "error_code"));
      set_string_or_null (e, "message", rows, i, "error_message");
      json_object_set_object_member (o, "error", e);
    }
  else
    json_object_set_null_member (o, "error");

  set_int_or_null (o, "duration_ms", rows, i, "duration_ms");
  set_int_or_null (o, "width", rows, i, "width");
  set_int_or_null (o, "height", rows, i, "height");
  set_int_or_null (o, "fps_num", rows, i, "fps_num");
  set_int_or_null (o, "fps_den", rows, i, "fps_den");
  set_string_or_null (o, "container", rows, i, "container");
  set_string_or_null (o, "video_codec", rows, i, "video_codec");
  set_string_or_null (o, "audio_codec", rows, i, "audio_codec");

  if (sd_db_rows_text (rows, i, "thumbnail_key") != NULL)
    {
      g_autofree char *url = g_strdup_printf ("/videos/%s/thumbnail", id);
      json_object_set_string_member (o, "thumbnail_url", url);
    }
  else
    json_object_set_null_member (o, "thumbnail_url");
  if (sd_db_rows_text (rows, i, "strip_key") != NULL)
    {
      JsonObject *strip = json_object_new ();
      g_autofree char *url = g_strdup_printf ("/videos/%s/strip", id);
      json_object_set_string_member (strip, "url", url);
      json_object_set_int_member (strip, "frames", sd_db_rows_int (rows, i, "strip_frames"));
      json_object_set_int_member (strip, "interval_ms", sd_db_rows_int (rows, i, "strip_interval_ms"));
      json_object_set_int_member (strip, "columns",
                                  MIN (sd_db_rows_int (rows, i, "strip_frames"), SD_MEDIA_STRIP_COLUMNS));
      json_object_set_int_member (strip, "tile_width", SD_MEDIA_STRIP_TILE_WIDTH);
      json_object_set_object_member (o, "strip", strip);
    }
  else
    json_object_set_null_member (o, "strip");
  set_string_or_null (o, "playback_type", rows, i, "playback_type");
  sd_json_set_time (o, "created_at", sd_db_rows_int (rows, i, "created_at"));
  sd_json_set_time (o, "updated_at", sd_db_rows_int (rows, i, "updated_at"));
  return o;
}

/* Inside an open transaction: the video @video_id (VIDEO_COLUMNS) if the
 * caller may see it; NOT_FOUND otherwise. */
static SdDbRows *
video_load (SdRequest   *req,
            const char  *video_id,
            GError     **error)
{
  SdDbRows *rows = sd_db_query (sd_request_db (req), error,
    "SELECT " VIDEO_COLUMNS ","
    "       a.owner_id AS asset_owner_id, g.owner_id AS group_owner_id,"
    "       EXISTS (SELECT 1 FROM group_members m"
    "                WHERE m.group_id = a.group_id AND m.org_id = v.org_id AND m.user_id = $3) AS is_member"
    "  FROM videos v"
    "  JOIN assets a ON a.id = v.asset_id AND a.org_id = v.org_id"
    "  JOIN groups g ON g.id = a.group_id AND g.org_id = a.org_id"
    " WHERE v.id = $1 AND v.org_id = $2",
    "sss", video_id, req->auth.org_id, req->auth.user_id);
  if (rows == NULL)
    return NULL;

  const char *me = req->auth.user_id;
  gboolean visible = sd_db_rows_n (rows) == 1 &&
    (req->auth.role == SD_ROLE_ADMIN ||
     g_strcmp0 (sd_db_rows_text (rows, 0, "asset_owner_id"), me) == 0 ||
     g_strcmp0 (sd_db_rows_text (rows, 0, "group_owner_id"), me) == 0 ||
     (req->auth.role == SD_ROLE_EXPERT && sd_db_rows_bool (rows, 0, "is_member")));
  if (!visible)
    {
      sd_db_rows_free (rows);
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such video");
      return NULL;
    }
  return rows;
}

/* Loads the {id} video in a read transaction and commits. */
static SdDbRows *
load_param_video (SdRequest  *req,
                  GError    **error)
{
  if (!sd_request_begin (req, SD_DB_TX_READ, error))
    return NULL;
  SdDbRows *rows = video_load (req, sd_request_param (req, "id"), error);
  if (rows != NULL && !sd_request_commit (req, error))
    g_clear_pointer (&rows, sd_db_rows_free);
  return rows;
}

static const char *
image_type_of (const char *key)
{
  return g_str_has_suffix (key, ".png") ? "image/png" : "image/jpeg";
}

/* Streams the whole object @key. */
static gboolean
reply_object (SdRequest   *req,
              const char  *key,
              const char  *content_type,
              GError     **error)
{
  SdStorage *storage = sd_server_get_storage (req->server);
  goffset size = sd_storage_size (storage, key, error);
  if (size < 0)
    return FALSE;
  g_autoptr(GInputStream) stream = sd_storage_read (storage, key, 0, error);
  if (stream == NULL)
    return FALSE;
  sd_request_set_header (req, "Cache-Control", "private, max-age=300");
  sd_api_reply_stream (req, 200, content_type, stream, size);
  return TRUE;
}

/* ---- GET /videos/{id} ---- */

static gboolean
handle_show (SdRequest  *req,
             GError    **error)
{
  g_autoptr(SdDbRows) rows = load_param_video (req, error);
  if (rows == NULL)
    return FALSE;
  sd_request_reply_json (req, 200, video_json (rows, 0));
  return TRUE;
}

/* ---- GET /videos/{id}/thumbnail, /strip ---- */

static gboolean
reply_picture (SdRequest   *req,
               const char  *column,
               const char  *what,
               GError     **error)
{
  g_autoptr(SdDbRows) rows = load_param_video (req, error);
  if (rows == NULL)
    return FALSE;
  const char *key = sd_db_rows_text (rows, 0, column);
  if (key == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "this video has no %s (yet)", what);
      return FALSE;
    }
  return reply_object (req, key, image_type_of (key), error);
}

static gboolean
handle_thumbnail (SdRequest  *req,
                  GError    **error)
{
  return reply_picture (req, "thumbnail_key", "thumbnail", error);
}

static gboolean
handle_strip (SdRequest  *req,
              GError    **error)
{
  return reply_picture (req, "strip_key", "timeline strip", error);
}

/* ---- GET /videos/{id}/playback ---- */

/* scheme://host[:port] as the caller reached us. */
static char *
request_base_url (SdRequest *req)
{
  GUri *uri = soup_server_message_get_uri (req->msg);
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}

static gboolean
handle_playback (SdRequest  *req,
                 GError    **error)
{
  g_autoptr(SdDbRows) rows = load_param_video (req, error);
  if (rows == NULL)
    return FALSE;
  const char *status = sd_db_rows_text (rows, 0, "status");
  if (!g_str_equal (status, "ready") || sd_db_rows_text (rows, 0, "playback_key") == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_READY,
                   g_str_equal (status, "failed") ? "this video could not be processed and cannot be played"
                                                  : "this video is not ready to play yet (%s)", status);
      return FALSE;
    }

  const char *id = sd_db_rows_text (rows, 0, "id");
  gint64 expires = sd_request_now (req) + PLAYBACK_TTL_S;
  g_autofree char *sig = sd_url_sign (sd_server_get_url_secret (req->server), SIGN_KIND, id,
                                      req->auth.org_id, expires);
  g_autofree char *base = request_base_url (req);
  g_autofree char *url = g_strdup_printf ("%s/videos/%s/stream?org=%s&expires=%" G_GINT64_FORMAT "&sig=%s",
                                          base, id, req->auth.org_id, expires, sig);
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "url", url);
  sd_json_set_time (o, "expires_at", expires);
  json_object_set_string_member (o, "mime_type", sd_db_rows_text (rows, 0, "playback_type"));
  sd_request_reply_json (req, 200, o);
  return TRUE;
}

/* ---- GET /videos/{id}/stream ---- */

static gboolean
check_signature (SdRequest  *req,
                 GError    **error)
{
  const char *org = sd_request_query (req, "org");
  const char *expires_text = sd_request_query (req, "expires");
  const char *sig = sd_request_query (req, "sig");
  gint64 expires = 0;

  if (org == NULL || !sd_json_is_uuid (org) || expires_text == NULL ||
      !g_ascii_string_to_signed (expires_text, 10, 1, G_MAXINT64, &expires, NULL) ||
      !sd_url_sign_verify (sd_server_get_url_secret (req->server), SIGN_KIND,
                           sd_request_param (req, "id"), org, expires, sig, sd_request_now (req)))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                           "this playback link is not valid or has expired; ask for a new one");
      return FALSE;
    }
  return TRUE;
}

static gboolean
handle_stream (SdRequest  *req,
               GError    **error)
{
  const char *id = sd_request_param (req, "id");
  if (!check_signature (req, error))
    return FALSE;
  const char *org = sd_request_query (req, "org");
  gint64 expires = g_ascii_strtoll (sd_request_query (req, "expires"), NULL, 10);

  g_autoptr(SdDbRows) rows = NULL;
  if (!sd_request_begin_as (req, SD_DB_TX_READ, org, error) ||
      (rows = sd_db_query (sd_request_db (req), error,
                           "SELECT playback_key, playback_type FROM videos"
                           " WHERE id = $1 AND org_id = $2 AND status = 'ready'",
                           "ss", id, org)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;
  if (sd_db_rows_n (rows) != 1 || sd_db_rows_text (rows, 0, "playback_key") == NULL)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such video");
      return FALSE;
    }
  const char *key = sd_db_rows_text (rows, 0, "playback_key");
  const char *type = sd_db_rows_text (rows, 0, "playback_type");
  SdStorage *storage = sd_server_get_storage (req->server);
  goffset total = sd_storage_size (storage, key, error);
  if (total < 0)
    return FALSE;

  g_autofree char *cache = g_strdup_printf ("private, max-age=%" G_GINT64_FORMAT,
                                            MAX (0, expires - sd_request_now (req)));
  sd_request_set_header (req, "Accept-Ranges", "bytes");
  sd_request_set_header (req, "Cache-Control", cache);

  goffset start = 0, end = total - 1;
  SdApiRange range = sd_api_parse_range (sd_request_header (req, "Range"), total, &start, &end);
  if (range == SD_API_RANGE_UNSATISFIABLE)
    {
      g_autofree char *content_range = g_strdup_printf ("bytes */%" G_GOFFSET_FORMAT, total);
      sd_request_set_header (req, "Content-Range", content_range);
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_RANGE_NOT_SATISFIABLE,
                   "the range is outside the file's %" G_GOFFSET_FORMAT " bytes", total);
      return FALSE;
    }
  g_autoptr(GInputStream) stream = sd_storage_read (storage, key, start, error);
  if (stream == NULL)
    return FALSE;
  if (range == SD_API_RANGE_OK)
    {
      g_autofree char *content_range = g_strdup_printf ("bytes %" G_GOFFSET_FORMAT "-%" G_GOFFSET_FORMAT
                                                        "/%" G_GOFFSET_FORMAT, start, end, total);
      sd_request_set_header (req, "Content-Range", content_range);
      sd_api_reply_stream (req, 206, type, stream, end - start + 1);
    }
  else
    sd_api_reply_stream (req, 200, type, stream, total);
  return TRUE;
}

const SdRoute sd_api_videos_routes[] = {
  { "GET", "/videos/{id}", handle_show, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/videos/{id}/thumbnail", handle_thumbnail, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/videos/{id}/strip", handle_strip, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/videos/{id}/playback", handle_playback, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/videos/{id}/stream", handle_stream, SD_ROUTE_PUBLIC, NULL, 0, NULL },
  { NULL }
};
