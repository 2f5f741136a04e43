/* sd-api-calls.c — joining the video call of a coaching booking.
 *
 *   GET /groups/{gid}/coaching/bookings/{booking_id}/connect
 *       {"call_id","call_token","expires_at","ice_servers":[…],"peer":{"user_id","name"}}
 *   GET /ws?token=CALL_TOKEN
 *       the signaling WebSocket (rtc/sd-ws.c); described here for the
 *       route table and the OpenAPI document only: a plain GET is refused.
 *
 * Who may connect: the booking's expert and student, nobody else (the
 * organization's admins included): for anybody else the booking does not
 * exist (404), as for other organizations.  A cancelled booking is 409
 * booking_cancelled; outside its connect window [start - connect_window,
 * end) it is 409 outside_connect_window with the window in "details"
 * (opens_at, closes_at, server_time).
 *
 * The call id is made by the first connect of the booking and stays its
 * id.  Every connect makes a new call token ("tdc_" + 256 random bits;
 * only its SHA-256 is stored) valid for CALL_TOKEN_TTL_S, and no later
 * than CALL_TOKEN_GRACE_S after the session's end; the token opens /ws
 * (again, after a drop) until then, and a client calls connect again for a
 * fresh one.  Tokens of the caller that have expired are deleted then.
 * TURN credentials (rtc/sd-turn.h) last until an hour after the session's
 * end, so a call that runs over keeps its relay.
 */
#define G_LOG_DOMAIN "sd-api-calls"

#include "api/sd-api.h"
#include "auth/sd-token.h"
#include "rtc/sd-call-window.h"
#include "rtc/sd-turn.h"

#define CALL_TOKEN_PREFIX "tdc_"
#define CALL_TOKEN_TTL_S (10 * 60)
#define CALL_TOKEN_GRACE_S (5 * 60)
#define TURN_GRACE_S 3600

/* Replies 409 outside_connect_window with the window in "details". */
static gboolean
reply_outside_window (SdRequest    *req,
                      SdCallWindow  state,
                      gint64        opens,
                      gint64        closes,
                      gint64        now)
{
  g_autofree char *opens_text = sd_json_format_time (opens);
  g_autofree char *closes_text = sd_json_format_time (closes);
  g_autoptr(GError) error = NULL;
  if (state == SD_CALL_WINDOW_TOO_EARLY)
    g_set_error (&error, TANDEM_ERROR, TANDEM_ERROR_OUTSIDE_CONNECT_WINDOW,
                 "the call opens at %s", opens_text);
  else
    g_set_error (&error, TANDEM_ERROR, TANDEM_ERROR_OUTSIDE_CONNECT_WINDOW,
                 "the session ended at %s", closes_text);

  JsonObject *details = json_object_new ();
  sd_json_set_time (details, "opens_at", opens);
  sd_json_set_time (details, "closes_at", closes);
  sd_json_set_time (details, "server_time", now);
  sd_request_reply_error_details (req, error, details);
  return TRUE;
}

/* The booking's call id, made on first use. */
static char *
ensure_call (SdRequest   *req,
             const char  *booking_id,
             GError     **error)
{
  SdDbConn *db = sd_request_db (req);
  g_autofree char *id = sd_api_ordered_id ();
  if (sd_db_exec (db, error,
                  "INSERT INTO calls (id, org_id, booking_id, created_at) VALUES ($1, $2, $3, $4)"
                  " ON CONFLICT (booking_id) DO NOTHING",
                  "sssi", id, req->auth.org_id, booking_id, sd_request_now (req)) < 0)
    return NULL;
  g_autoptr(SdDbRows) rows = sd_db_query (db, error,
                                          "SELECT id FROM calls WHERE booking_id = $1 AND org_id = $2",
                                          "ss", booking_id, req->auth.org_id);
  if (rows == NULL)
    return NULL;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL, "the call could not be made");
      return NULL;
    }
  return g_strdup (sd_db_rows_text (rows, 0, "id"));
}

static gboolean
handle_connect (SdRequest  *req,
                GError    **error)
{
  const char *group_id = sd_request_param (req, "gid");
  const char *booking_id = sd_request_param (req, "booking_id");
  const char *me = req->auth.user_id;
  SdDbConn *db = sd_request_db (req);
  gint64 now = sd_request_now (req);

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error))
    return FALSE;
  g_autoptr(SdDbRows) rows = sd_db_query (db, error,
    "SELECT b.start_at, b.end_at, b.status, p.id AS peer_id, p.name AS peer_name"
    "  FROM coaching_bookings b"
    "  JOIN users p ON p.org_id = b.org_id"
    "   AND p.id = CASE WHEN b.expert_id = $3 THEN b.student_id ELSE b.expert_id END"
    " WHERE b.id = $1 AND b.group_id = $2 AND b.org_id = $4"
    "   AND (b.expert_id = $3 OR b.student_id = $3)",
    "ssss", booking_id, group_id, me, req->auth.org_id);
  if (rows == NULL)
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such booking");
      return FALSE;
    }
  if (g_strcmp0 (sd_db_rows_text (rows, 0, "status"), "booked") != 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_BOOKING_CANCELLED,
                           "this session was cancelled");
      return FALSE;
    }

  gint64 start = sd_db_rows_int (rows, 0, "start_at");
  gint64 end = sd_db_rows_int (rows, 0, "end_at");
  gint64 window = sd_request_config (req)->connect_window_s;
  SdCallWindow state = sd_call_window_check (start, end, window, now);
  if (state != SD_CALL_WINDOW_OPEN)
    return reply_outside_window (req, state, start - window, end, now);

  g_autofree char *call_id = ensure_call (req, booking_id, error);
  if (call_id == NULL)
    return FALSE;

  g_autofree char *token = sd_token_new (CALL_TOKEN_PREFIX);
  g_autofree char *hash = sd_token_hash (token);
  gint64 expires = MIN (now + CALL_TOKEN_TTL_S, end + CALL_TOKEN_GRACE_S);
  if (sd_db_exec (db, error,
                  "DELETE FROM call_tokens WHERE user_id = $1 AND org_id = $2 AND expires_at <= $3",
                  "ssi", me, req->auth.org_id, now) < 0 ||
      sd_db_exec (db, error,
                  "INSERT INTO call_tokens (token_hash, org_id, call_id, user_id, expires_at, created_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6)",
                  "ssssii", hash, req->auth.org_id, call_id, me, expires, now) < 0 ||
      !sd_request_commit (req, error))
    return FALSE;

  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "call_id", call_id);
  json_object_set_string_member (o, "call_token", token);
  sd_json_set_time (o, "expires_at", expires);
  json_object_set_array_member (o, "ice_servers",
                                sd_turn_ice_servers (sd_request_config (req), me, end + TURN_GRACE_S));
  JsonObject *peer = json_object_new ();
  json_object_set_string_member (peer, "user_id", sd_db_rows_text (rows, 0, "peer_id"));
  json_object_set_string_member (peer, "name", sd_db_rows_text (rows, 0, "peer_name"));
  json_object_set_object_member (o, "peer", peer);
  sd_request_reply_json (req, 200, o);
  return TRUE;
}

/* Only reached by a front end that routes /ws like other paths: the
 * SoupServer of each worker hands /ws to rtc/sd-ws.c first. */
static gboolean
handle_ws (SdRequest  *req,
           GError    **error)
{
  g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                       "/ws is a WebSocket: open it with an Upgrade request and ?token=CALL_TOKEN");
  return FALSE;
}

const SdRoute sd_api_calls_routes[] = {
  { "GET", "/groups/{gid}/coaching/bookings/{booking_id}/connect", handle_connect, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/ws", handle_ws, SD_ROUTE_PUBLIC, NULL, 0, NULL },
  { NULL }
};
