/* sd-api-internal.c — routes for the machine room, not for users:
 *
 *   POST /internal/coaching/reminders   send the coaching reminders that are
 *                                       due (one pass of jobs/sd-reminders.c),
 *                                       for an external cron when signald runs
 *                                       with --reminders off
 *
 * They are protected by their own secret (config internal_secret,
 * TANDEM_INTERNAL_SECRET, --internal-secret) sent as
 * `Authorization: Bearer SECRET`, never by a user's session.  Unset, the
 * routes do not exist (404); a missing or wrong secret is 401.  The
 * secrets are compared in constant time (as SHA-256 digests, so that not
 * even their lengths leak). */
#define G_LOG_DOMAIN "sd-api-internal"

#include "api/sd-api.h"
#include "auth/sd-token.h"
#include "jobs/sd-reminders.h"
#include "sd-server.h"

#include <string.h>

static gboolean
check_internal_secret (SdRequest  *req,
                       GError    **error)
{
  const char *secret = sd_request_config (req)->internal_secret;
  if (secret == NULL || *secret == '\0')
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "no such resource");
      return FALSE;
    }

  const char *header = sd_request_header (req, "Authorization");
  g_autofree char *given = NULL;
  if (header != NULL && g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    given = g_strstrip (g_strdup (header + 7));
  g_autofree char *given_hash = sd_token_hash (given != NULL ? given : "");
  g_autofree char *secret_hash = sd_token_hash (secret);
  if (given == NULL || !sd_token_equal (given_hash, secret_hash))
    {
      sd_request_set_header (req, "WWW-Authenticate", "Bearer realm=\"tandem-internal\"");
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED,
                           "this route needs the internal secret");
      return FALSE;
    }
  return TRUE;
}

static gboolean
handle_reminders (SdRequest  *req,
                  GError    **error)
{
  SdRemindersResult result = { 0 };

  if (!check_internal_secret (req, error) ||
      !sd_reminders_run (req->server, sd_request_db (req), sd_request_now (req), &result, error))
    return FALSE;

  JsonObject *reply = json_object_new ();
  json_object_set_int_member (reply, "sent", result.sent);
  json_object_set_int_member (reply, "skipped", result.skipped);
  sd_request_reply_json (req, 200, reply);
  return TRUE;
}

const SdRoute sd_api_internal_routes[] = {
  { "POST", "/internal/coaching/reminders", handle_reminders, SD_ROUTE_PUBLIC, NULL, 0, NULL },
  { NULL }
};
