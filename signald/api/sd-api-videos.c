/* sd-api-videos.c — videos: their JSON, thumbnail and timeline strip, and
 * playback through signed, expiring URLs.
 *
 *   GET /videos/{id}             the video (sd_api_video_json)
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
 * or expired one is 403.  The URL starts with the public URL, like upload
 * URLs (sd_api_public_url).
 *
 * Visibility is the asset's (api/sd-api-media-common.h): its owner, the
 * organization's admins, the group's owner and the group's experts; for
 * anybody else, other organizations included, the video does not exist
 * (404). */
#define G_LOG_DOMAIN "sd-api-videos"

#include "api/sd-api-media-common.h"
#include "api/sd-api-stream.h"
#include "auth/sd-url-sign.h"
#include "sd-server.h"
#include "storage/sd-storage.h"

#include <string.h>

#define PLAYBACK_TTL_S 3600
#define SIGN_KIND "playback"

/* ---- shared ---- */

/* Loads the {id} video as the caller sees it (api/sd-api-media-common.h)
 * in a read transaction and commits. */
static SdDbRows *
load_param_video (SdRequest  *req,
                  GError    **error)
{
  g_auto(SdApiAsset) asset = { 0 };
  if (!sd_request_begin (req, SD_DB_TX_READ, error))
    return NULL;
  SdDbRows *rows = sd_api_video_load (req, sd_request_param (req, "id"), &asset, error);
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
  sd_request_reply_json (req, 200, sd_api_video_json (req, rows, 0));
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
  g_autofree char *url = g_strdup_printf ("%s/videos/%s/stream?org=%s&expires=%" G_GINT64_FORMAT "&sig=%s",
                                          sd_api_public_url (req), id, req->auth.org_id, expires, sig);
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
  { "GET", "/videos/{id}/thumbnail", handle_thumbnail, SD_ROUTE_AUTH | SD_ROUTE_STREAM_REPLY, NULL, 0, NULL },
  { "GET", "/videos/{id}/strip", handle_strip, SD_ROUTE_AUTH | SD_ROUTE_STREAM_REPLY, NULL, 0, NULL },
  { "GET", "/videos/{id}/playback", handle_playback, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/videos/{id}/stream", handle_stream, SD_ROUTE_PUBLIC | SD_ROUTE_STREAM_REPLY, NULL, 0, NULL },
  { NULL }
};
