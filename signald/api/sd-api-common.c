/* sd-api-common.c — helpers shared by the API families. */
#define G_LOG_DOMAIN "sd-api"

#include "api/sd-api.h"

#include "auth/sd-token.h"
#include "sd-json.h"
#include "sd-ratelimit.h"

#include <string.h>

char *
sd_api_ordered_id (void)
{
  static GMutex lock;
  static gint64 last_ms;
  static guint32 counter;
  guint8 b[16];

  g_mutex_lock (&lock);
  gint64 ms = g_get_real_time () / 1000;
  if (ms > last_ms)
    {
      last_ms = ms;
      counter = 0;
    }
  else if (++counter > 0xfff)
    {
      /* 4096 ids in one millisecond: borrow the next one. */
      last_ms++;
      counter = 0;
    }
  ms = last_ms;
  guint32 seq = counter;
  g_mutex_unlock (&lock);

  for (guint i = 0; i < 6; i++)
    b[i] = (guint8) (ms >> (8 * (5 - i)));
  b[6] = (guint8) (0x70 | ((seq >> 8) & 0x0f));
  b[7] = (guint8) (seq & 0xff);
  for (guint i = 8; i < 16; i += 4)
    {
      guint32 r = g_random_int ();
      memcpy (b + i, &r, 4);
    }
  b[8] = (guint8) (0x80 | (b[8] & 0x3f));
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
sd_api_one_line (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

JsonObject *
sd_api_user_json (SdDbRows *rows,
                  guint     i)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "id", sd_db_rows_text (rows, i, "id"));
  json_object_set_string_member (o, "email", sd_db_rows_text (rows, i, "email"));
  json_object_set_string_member (o, "name", sd_db_rows_text (rows, i, "name"));
  json_object_set_string_member (o, "role", sd_db_rows_text (rows, i, "role"));
  json_object_set_string_member (o, "organization_id", sd_db_rows_text (rows, i, "org_id"));
  json_object_set_string_member (o, "language", sd_db_rows_text (rows, i, "language"));
  json_object_set_string_member (o, "time_zone", sd_db_rows_text (rows, i, "time_zone"));
  sd_json_set_time (o, "created_at", sd_db_rows_int (rows, i, "created_at"));
  return o;
}

char *
sd_api_create_session (SdRequest   *req,
                       const char  *org_id,
                       const char  *user_id,
                       GError     **error)
{
  g_autofree char *token = sd_token_new (SD_TOKEN_PREFIX_SESSION);
  g_autofree char *hash = sd_token_hash (token);
  g_autofree char *id = g_uuid_string_random ();
  gint64 now = sd_request_now (req);
  gint64 expires = now + sd_request_config (req)->session_ttl_s;

  if (sd_db_exec (sd_request_db (req), error,
                  "INSERT INTO sessions (id, org_id, user_id, token_hash, kind, created_at, expires_at)"
                  " VALUES ($1, $2, $3, $4, 'session', $5, $6)",
                  "ssssii", id, org_id, user_id, hash, now, expires) < 0)
    return NULL;
  return g_steal_pointer (&token);
}

char *
sd_api_normalize_email (const char *email)
{
  if (email == NULL)
    return NULL;
  g_autofree char *copy = g_strstrip (g_strdup (email));
  g_autofree char *lower = g_utf8_strdown (copy, -1);
  if (!sd_json_is_email (lower))
    return NULL;
  return g_steal_pointer (&lower);
}

gboolean
sd_api_valid_time_zone (const char *tz)
{
  if (tz == NULL || *tz == '\0' || strlen (tz) > 64)
    return FALSE;
  if (g_str_equal (tz, "UTC"))
    return TRUE;
  /* Only names that look like Area/Location; no paths, no offsets. */
  for (const char *p = tz; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '/' && *p != '_' && *p != '-' && *p != '+')
      return FALSE;
  if (tz[0] == '/' || strstr (tz, "..") != NULL)
    return FALSE;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (tz);
  return zone != NULL;
}

void
sd_api_map_constraint (GError          **error,
                       TandemErrorCode   code,
                       const char       *message)
{
  if (error == NULL || *error == NULL)
    return;
  if (g_error_matches (*error, SD_DB_ERROR, SD_DB_ERROR_CONSTRAINT))
    {
      g_clear_error (error);
      g_set_error_literal (error, TANDEM_ERROR, code, message);
    }
}

gboolean
sd_api_rate_limited (SdRequest  *req,
                     guint       retry_after_s,
                     GError    **error)
{
  g_autofree char *value = g_strdup_printf ("%u", retry_after_s);
  sd_request_set_header (req, "Retry-After", value);
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_RATE_LIMITED,
               "too many attempts; try again in %u seconds", retry_after_s);
  return FALSE;
}

void
sd_api_invitation_clear (SdApiInvitation *inv)
{
  g_free (inv->id);
  g_free (inv->org_id);
  g_free (inv->group_id);
  g_free (inv->group_name);
  g_free (inv->email);
  g_free (inv->inviter_name);
  g_free (inv->status);
  memset (inv, 0, sizeof *inv);
}

#define INVITE_WRONG_LIMIT 20
#define INVITE_WRONG_WINDOW_S 900

gboolean
sd_api_invitation_find (SdRequest        *req,
                        const char       *code,
                        gboolean          usable,
                        SdApiInvitation  *out,
                        GError          **error)
{
  g_autofree char *key = g_strdup_printf ("invite-ip:%s", req->client_ip);
  SdRateLimiter *rl = sd_request_rate_limiter (req);
  gint64 now_us = g_get_real_time ();
  guint retry = 0;

  if (sd_rate_limiter_blocked (rl, key, INVITE_WRONG_LIMIT, INVITE_WRONG_WINDOW_S, now_us, &retry))
    return sd_api_rate_limited (req, retry, error);

  g_autofree char *upper = g_ascii_strup (code, -1);
  g_autoptr(SdDbRows) rows = sd_db_sys (sd_request_db (req), error, SD_DB_SYS_INVITATION_LOOKUP,
                                        "s", upper);
  if (rows == NULL)
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    {
      sd_rate_limiter_hit (rl, key, INVITE_WRONG_LIMIT, INVITE_WRONG_WINDOW_S, now_us, NULL);
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no invitation with this code");
      return FALSE;
    }

  out->id = g_strdup (sd_db_rows_text (rows, 0, "id"));
  out->org_id = g_strdup (sd_db_rows_text (rows, 0, "org_id"));
  out->group_id = g_strdup (sd_db_rows_text (rows, 0, "group_id"));
  out->group_name = g_strdup (sd_db_rows_text (rows, 0, "group_name"));
  out->email = g_strdup (sd_db_rows_text (rows, 0, "email"));
  out->inviter_name = g_strdup (sd_db_rows_text (rows, 0, "inviter_name"));
  out->status = g_strdup (sd_db_rows_text (rows, 0, "status"));
  out->expires_at = sd_db_rows_int (rows, 0, "expires_at");
  out->has_avatar = sd_db_rows_bool (rows, 0, "has_avatar");

  if (!usable)
    return TRUE;
  if (g_str_equal (out->status, "accepted"))
    g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVITATION_USED, "this invitation has already been used");
  else if (g_str_equal (out->status, "revoked"))
    g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_GONE, "this invitation was withdrawn");
  else if (out->expires_at <= sd_request_now (req))
    g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVITATION_EXPIRED, "this invitation has expired");
  else
    return TRUE;
  sd_api_invitation_clear (out);
  return FALSE;
}

gboolean
sd_api_invitation_redeem (SdRequest              *req,
                          const SdApiInvitation  *inv,
                          const char             *user_id,
                          GError                **error)
{
  SdDbConn *db = sd_request_db (req);
  gint64 now = sd_request_now (req);

  g_autoptr(SdDbRows) member = sd_db_query (db, error,
    "SELECT 1 AS found FROM group_members WHERE group_id = $1 AND user_id = $2 AND org_id = $3",
    "sss", inv->group_id, user_id, inv->org_id);
  if (member == NULL)
    return FALSE;
  if (sd_db_rows_n (member) > 0)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_ALREADY_MEMBER, "you are already in this group");
      return FALSE;
    }

  /* The status check in the WHERE makes a code single-use even when two
   * people accept it at the same moment. */
  gint64 changed = sd_db_exec (db, error,
    "UPDATE invitations SET status = 'accepted', accepted_by = $2, accepted_at = $3"
    " WHERE id = $1 AND org_id = $4 AND status = 'pending' AND expires_at > $3",
    "ssis", inv->id, user_id, now, inv->org_id);
  if (changed < 0)
    return FALSE;
  if (changed == 0)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVITATION_USED, "this invitation has already been used");
      return FALSE;
    }
  if (sd_db_exec (db, error,
                  "INSERT INTO group_members (org_id, group_id, user_id, created_at) VALUES ($1, $2, $3, $4)",
                  "sssi", inv->org_id, inv->group_id, user_id, now) < 0)
    {
      sd_api_map_constraint (error, TANDEM_ERROR_ALREADY_MEMBER, "you are already in this group");
      return FALSE;
    }
  return TRUE;
}
