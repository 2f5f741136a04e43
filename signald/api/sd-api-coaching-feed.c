/* sd-api-coaching-feed.c — an expert's bookings as a calendar feed that
 * calendar programs subscribe to:
 *
 *   GET    /coaching/feed               whether the caller has a feed, since when
 *   POST   /coaching/feed               make a new feed URL (the old one stops working)
 *   DELETE /coaching/feed               revoke the feed URL
 *   GET    /coaching/feeds/{TOKEN}.ics  the feed (no session: the token is the key)
 *
 * Who: experts and admins (the users who can be booked); students get 403.
 * Making and revoking need a signed-in session, not an API token.
 *
 * The token is 256 random bits ("tdf_…", auth/sd-token.h), shown once in
 * the URL and stored as its SHA-256 only (coaching_feeds.token_hash), one
 * per expert.  The feed is found across organizations by that hash
 * (SD_DB_SYS_FEED_LOOKUP) and lists, in the organization's transaction,
 * only that expert's bookings: from FEED_PAST_S ago on, cancelled ones with
 * STATUS:CANCELLED so subscribed calendars drop them.  The request log
 * shows the route pattern, never the token (SD_ROUTE_SECRET_PATH). */
#define G_LOG_DOMAIN "sd-api-coaching-feed"

#include "api/sd-api.h"
#include "api/sd-api-media-common.h"
#include "api/sd-coaching-ics.h"
#include "api/sd-coaching-info.h"
#include "auth/sd-token.h"
#include "sd-i18n.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define FEED_TOKEN_PREFIX "tdf_"
#define FEED_SUFFIX ".ics"
#define FEED_PAST_S (90 * 24 * 3600)   /* bookings that ended longer ago are left out */
#define FEED_MAX_EVENTS 5000

static gboolean
require_bookable (SdRequest  *req,
                  GError    **error)
{
  if (req->auth.role == SD_ROLE_EXPERT || req->auth.role == SD_ROLE_ADMIN)
    return TRUE;
  g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                       "only experts and admins have a calendar feed");
  return FALSE;
}

static gboolean
handle_show (SdRequest  *req,
             GError    **error)
{
  if (!require_bookable (req, error) ||
      !sd_request_begin (req, SD_DB_TX_READ, error))
    return FALSE;
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
    "SELECT created_at FROM coaching_feeds WHERE expert_id = $1 AND org_id = $2",
    "ss", req->auth.user_id, req->auth.org_id);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;

  JsonObject *reply = json_object_new ();
  gboolean active = sd_db_rows_n (rows) == 1;
  json_object_set_boolean_member (reply, "active", active);
  if (active)
    sd_json_set_time (reply, "created_at", sd_db_rows_int (rows, 0, "created_at"));
  else
    json_object_set_null_member (reply, "created_at");
  sd_request_reply_json (req, 200, reply);
  return TRUE;
}

static gboolean
handle_create (SdRequest  *req,
               GError    **error)
{
  SdDbConn *db = sd_request_db (req);
  gint64 now = sd_request_now (req);
  g_autofree char *token = sd_token_new (FEED_TOKEN_PREFIX);
  g_autofree char *hash = sd_token_hash (token);

  if (!require_bookable (req, error) ||
      !sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      sd_db_exec (db, error, "DELETE FROM coaching_feeds WHERE expert_id = $1 AND org_id = $2",
                  "ss", req->auth.user_id, req->auth.org_id) < 0 ||
      sd_db_exec (db, error,
                  "INSERT INTO coaching_feeds (expert_id, org_id, token_hash, created_at)"
                  " VALUES ($1, $2, $3, $4)",
                  "sssi", req->auth.user_id, req->auth.org_id, hash, now) < 0 ||
      !sd_request_commit (req, error))
    return FALSE;

  JsonObject *reply = json_object_new ();
  g_autofree char *url = g_strdup_printf ("%s/coaching/feeds/%s" FEED_SUFFIX, sd_api_public_url (req), token);
  json_object_set_string_member (reply, "url", url);
  sd_json_set_time (reply, "created_at", now);
  sd_request_reply_json (req, 201, reply);
  return TRUE;
}

static gboolean
handle_delete (SdRequest  *req,
               GError    **error)
{
  if (!require_bookable (req, error) ||
      !sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      sd_db_exec (sd_request_db (req), error,
                  "DELETE FROM coaching_feeds WHERE expert_id = $1 AND org_id = $2",
                  "ss", req->auth.user_id, req->auth.org_id) < 0 ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_empty (req, 204);
  return TRUE;
}

static gboolean
not_found (GError **error)
{
  g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such calendar feed");
  return FALSE;
}

static gboolean
handle_feed (SdRequest  *req,
             GError    **error)
{
  const char *name = sd_request_param (req, "feed_name");
  gsize len = strlen (name);
  gint64 now = sd_request_now (req);

  if (!g_str_has_prefix (name, FEED_TOKEN_PREFIX) || !g_str_has_suffix (name, FEED_SUFFIX))
    return not_found (error);
  g_autofree char *token = g_strndup (name, len - strlen (FEED_SUFFIX));
  g_autofree char *hash = sd_token_hash (token);
  g_autoptr(SdDbRows) owner = sd_db_sys (sd_request_db (req), error, SD_DB_SYS_FEED_LOOKUP, "s", hash);
  if (owner == NULL)
    return FALSE;
  if (sd_db_rows_n (owner) != 1)
    return not_found (error);
  const char *expert_id = sd_db_rows_text (owner, 0, "expert_id");
  const char *org_id = sd_db_rows_text (owner, 0, "org_id");

  if (!sd_request_begin_as (req, SD_DB_TX_READ, org_id, error))
    return FALSE;
  g_autoptr(SdDbRows) expert = sd_db_query (sd_request_db (req), error,
    "SELECT name, language FROM users WHERE id = $1 AND org_id = $2", "ss", expert_id, org_id);
  if (expert == NULL)
    return FALSE;
  if (sd_db_rows_n (expert) != 1)
    return not_found (error);
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
    SD_COACHING_INFO_SELECT
    " WHERE b.expert_id = $1 AND b.org_id = $2 AND b.end_at >= $3"
    " ORDER BY b.start_at, b.id LIMIT $4",
    "ssii", expert_id, org_id, now - FEED_PAST_S, (gint64) FEED_MAX_EVENTS);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;

  const char *language = sd_db_rows_text (expert, 0, "language");
  g_autofree char *expert_name = sd_api_one_line (sd_db_rows_text (expert, 0, "name"));
  /* TRANSLATORS: name of an expert's calendar feed; %s is the expert's name */
  g_autofree char *calendar_name = g_strdup_printf (sd_i18n_get (language, N_("Tandem sessions of %s")),
                                                    expert_name);
  g_autofree char *ics = sd_coaching_ics_feed (calendar_name, language, rows, now);
  gsize size = strlen (ics);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&ics), size);
  sd_request_set_header (req, "Cache-Control", "private, max-age=300");
  sd_request_reply_bytes (req, 200, "text/calendar; charset=utf-8", bytes);
  return TRUE;
}

const SdRoute sd_api_coaching_feed_routes[] = {
  { "GET", "/coaching/feed", handle_show, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "POST", "/coaching/feed", handle_create, SD_ROUTE_AUTH | SD_ROUTE_SESSION_ONLY, NULL, 0, NULL },
  { "DELETE", "/coaching/feed", handle_delete, SD_ROUTE_AUTH | SD_ROUTE_SESSION_ONLY, NULL, 0, NULL },
  { "GET", "/coaching/feeds/{feed_name}", handle_feed, SD_ROUTE_PUBLIC | SD_ROUTE_SECRET_PATH, NULL, 0, NULL },
  { NULL }
};
