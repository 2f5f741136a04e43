/* sd-api-auth.c — registration, login, logout, the caller's own account
 * (/auth/me, password) and API tokens (/auth/tokens).
 *
 * Password hashing runs off the worker thread (sd_request_defer).  Login
 * answers an unknown e-mail exactly like a wrong password: same status, same
 * body, and the same Argon2 work against a dummy hash. */
#define G_LOG_DOMAIN "sd-api-auth"

#include "api/sd-api.h"

#include "auth/sd-password.h"
#include "auth/sd-token.h"
#include "sd-ratelimit.h"

#include <string.h>

/* Failed logins: per account 10 per 15 min (≤ 40 an hour, under the
 * required 100), per IP 50 per 15 min. */
#define LOGIN_ACCOUNT_LIMIT 10
#define LOGIN_IP_LIMIT 50
#define LOGIN_WINDOW_S 900

static void
set_session_cookie (SdRequest  *req,
                    const char *token,
                    gint64      max_age)
{
  g_autofree char *cookie = g_strdup_printf ("tandem_session=%s; Path=/; Max-Age=%" G_GINT64_FORMAT
                                             "; HttpOnly; SameSite=Strict",
                                             token, max_age);
  sd_request_set_header (req, "Set-Cookie", cookie);
}

/* Reply {"user":{…},"token":"…"} for @user_id. */
static gboolean
reply_user_and_token (SdRequest   *req,
                      guint        status,
                      const char  *user_id,
                      const char  *org_id,
                      const char  *token,
                      GError     **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
    "SELECT " SD_API_USER_COLUMNS " FROM users WHERE id = $1 AND org_id = $2",
    "ss", user_id, org_id);
  if (rows == NULL)
    return FALSE;
  if (!sd_request_commit (req, error))
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL, "the new account vanished");
      return FALSE;
    }
  JsonObject *o = json_object_new ();
  json_object_set_object_member (o, "user", sd_api_user_json (rows, 0));
  json_object_set_string_member (o, "token", token);
  set_session_cookie (req, token, sd_request_config (req)->session_ttl_s);
  sd_request_reply_json (req, status, o);
  return TRUE;
}

/* ---- POST /auth/register ---- */

typedef struct {
  char *email;
  char *password;
  char *name;
  char *organization;
  char *invite_code;
  char *hash;
  GError *error;
} RegisterJob;

static void
register_job_free (gpointer data)
{
  RegisterJob *job = data;
  g_free (job->email);
  if (job->password != NULL)
    {
      memset (job->password, 0, strlen (job->password));
      g_free (job->password);
    }
  g_free (job->name);
  g_free (job->organization);
  g_free (job->invite_code);
  g_free (job->hash);
  g_clear_error (&job->error);
  g_free (job);
}

static void
register_work (gpointer data)
{
  RegisterJob *job = data;
  job->hash = sd_password_hash (job->password, &job->error);
}

static gboolean
insert_user (SdRequest   *req,
             const char  *user_id,
             const char  *org_id,
             RegisterJob *job,
             const char  *role,
             GError     **error)
{
  gint64 now = sd_request_now (req);
  if (sd_db_exec (sd_request_db (req), error,
                  "INSERT INTO users (id, org_id, email, name, role, password_hash, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                  "ssssssi", user_id, org_id, job->email, job->name, role, job->hash, now) < 0)
    {
      sd_api_map_constraint (error, TANDEM_ERROR_EMAIL_TAKEN, "an account with this e-mail already exists");
      return FALSE;
    }
  return TRUE;
}

static gboolean
register_done (SdRequest  *req,
               GError    **error)
{
  RegisterJob *job = sd_request_defer_data (req);
  g_autofree char *user_id = g_uuid_string_random ();
  g_autofree char *token = NULL;

  if (job->hash == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return FALSE;
    }

  if (job->invite_code != NULL)
    {
      g_auto(SdApiInvitation) inv = { 0 };
      if (!sd_api_invitation_find (req, job->invite_code, TRUE, &inv, error))
        return FALSE;
      if (!sd_request_begin_as (req, SD_DB_TX_WRITE, inv.org_id, error) ||
          !insert_user (req, user_id, inv.org_id, job, "student", error) ||
          !sd_api_invitation_redeem (req, &inv, user_id, error) ||
          (token = sd_api_create_session (req, inv.org_id, user_id, error)) == NULL)
        return FALSE;
      return reply_user_and_token (req, 201, user_id, inv.org_id, token, error);
    }

  g_autofree char *org_id = g_uuid_string_random ();
  gint64 now = sd_request_now (req);
  if (!sd_request_begin_as (req, SD_DB_TX_WRITE, org_id, error))
    return FALSE;
  if (sd_db_exec (sd_request_db (req), error,
                  "INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)",
                  "ssi", org_id, job->organization, now) < 0 ||
      !insert_user (req, user_id, org_id, job, "admin", error) ||
      (token = sd_api_create_session (req, org_id, user_id, error)) == NULL)
    return FALSE;
  return reply_user_and_token (req, 201, user_id, org_id, token, error);
}

static const SdField register_fields[] = {
  { "email", SD_FIELD_STRING, SD_FIELD_REQUIRED, 3, 254 },
  { "password", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, SD_PASSWORD_MAX_BYTES },
  { "name", SD_FIELD_STRING, SD_FIELD_REQUIRED | SD_FIELD_TRIM, 1, 100 },
  { "organization", SD_FIELD_STRING, SD_FIELD_TRIM, 1, 100 },
  { "invite_code", SD_FIELD_STRING, 0, 6, 6 },
  { NULL }
};

static gboolean
handle_register (SdRequest  *req,
                 GError    **error)
{
  const char *organization = sd_json_get_string (req->body, "organization");
  const char *invite_code = sd_json_get_string (req->body, "invite_code");
  const char *password = sd_json_get_string (req->body, "password");
  g_autofree char *email = sd_api_normalize_email (sd_json_get_string (req->body, "email"));

  if (email == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“email” is not an e-mail address");
      return FALSE;
    }
  if ((organization == NULL) == (invite_code == NULL))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "give either “organization” (to start one) or “invite_code” (to join one)");
      return FALSE;
    }
  if (!sd_password_check_policy (password, error))
    return FALSE;

  RegisterJob *job = g_new0 (RegisterJob, 1);
  job->email = g_steal_pointer (&email);
  job->password = g_strdup (password);
  job->name = g_strstrip (g_strdup (sd_json_get_string (req->body, "name")));
  job->organization = organization != NULL ? g_strstrip (g_strdup (organization)) : NULL;
  job->invite_code = g_strdup (invite_code);
  sd_request_defer (req, register_work, register_done, job, register_job_free);
  return TRUE;
}

/* ---- POST /auth/login ---- */

typedef struct {
  char *password;
  char *hash;           /* the user's, or the dummy */
  char *user_id;        /* NULL for an unknown e-mail */
  char *org_id;
  char *account_key;
  char *ip_key;
  gboolean ok;
} LoginJob;

static void
login_job_free (gpointer data)
{
  LoginJob *job = data;
  if (job->password != NULL)
    {
      memset (job->password, 0, strlen (job->password));
      g_free (job->password);
    }
  g_free (job->hash);
  g_free (job->user_id);
  g_free (job->org_id);
  g_free (job->account_key);
  g_free (job->ip_key);
  g_free (job);
}

static void
login_work (gpointer data)
{
  LoginJob *job = data;
  gboolean match = sd_password_verify (job->hash, job->password);
  job->ok = match && job->user_id != NULL;
}

static gboolean
login_done (SdRequest  *req,
            GError    **error)
{
  LoginJob *job = sd_request_defer_data (req);
  SdRateLimiter *rl = sd_request_rate_limiter (req);
  gint64 now_us = g_get_real_time ();

  if (!job->ok)
    {
      sd_rate_limiter_hit (rl, job->account_key, LOGIN_ACCOUNT_LIMIT, LOGIN_WINDOW_S, now_us, NULL);
      sd_rate_limiter_hit (rl, job->ip_key, LOGIN_IP_LIMIT, LOGIN_WINDOW_S, now_us, NULL);
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_CREDENTIALS,
                   "the e-mail address or the password is wrong");
      return FALSE;
    }
  sd_rate_limiter_reset (rl, job->account_key);

  g_autofree char *token = NULL;
  if (!sd_request_begin_as (req, SD_DB_TX_WRITE, job->org_id, error) ||
      (token = sd_api_create_session (req, job->org_id, job->user_id, error)) == NULL)
    return FALSE;
  req->auth.user_id = g_strdup (job->user_id);
  return reply_user_and_token (req, 200, job->user_id, job->org_id, token, error);
}

static const SdField login_fields[] = {
  { "email", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, 254 },
  { "password", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, SD_PASSWORD_MAX_BYTES },
  { NULL }
};

static gboolean
handle_login (SdRequest  *req,
              GError    **error)
{
  SdRateLimiter *rl = sd_request_rate_limiter (req);
  gint64 now_us = g_get_real_time ();
  guint retry = 0;
  const char *raw_email = sd_json_get_string (req->body, "email");
  g_autofree char *email = sd_api_normalize_email (raw_email);
  g_autofree char *lowered = g_utf8_strdown (raw_email, -1);

  LoginJob *job = g_new0 (LoginJob, 1);
  job->password = g_strdup (sd_json_get_string (req->body, "password"));
  job->account_key = g_strdup_printf ("login-account:%s", email != NULL ? email : g_strstrip (lowered));
  job->ip_key = g_strdup_printf ("login-ip:%s", req->client_ip);

  if (sd_rate_limiter_blocked (rl, job->ip_key, LOGIN_IP_LIMIT, LOGIN_WINDOW_S, now_us, &retry) ||
      sd_rate_limiter_blocked (rl, job->account_key, LOGIN_ACCOUNT_LIMIT, LOGIN_WINDOW_S, now_us, &retry))
    {
      login_job_free (job);
      return sd_api_rate_limited (req, retry, error);
    }

  if (email != NULL)
    {
      g_autoptr(SdDbRows) rows = sd_db_sys (sd_request_db (req), error, SD_DB_SYS_LOGIN_LOOKUP, "s", email);
      if (rows == NULL)
        {
          login_job_free (job);
          return FALSE;
        }
      if (sd_db_rows_n (rows) == 1)
        {
          job->user_id = g_strdup (sd_db_rows_text (rows, 0, "id"));
          job->org_id = g_strdup (sd_db_rows_text (rows, 0, "org_id"));
          job->hash = g_strdup (sd_db_rows_text (rows, 0, "password_hash"));
        }
    }
  if (job->hash == NULL)
    job->hash = g_strdup (sd_password_dummy_hash ());

  sd_request_defer (req, login_work, login_done, job, login_job_free);
  return TRUE;
}

/* ---- POST /auth/logout ---- */

static gboolean
handle_logout (SdRequest  *req,
               GError    **error)
{
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      sd_db_exec (sd_request_db (req), error,
                  "UPDATE sessions SET revoked_at = $3 WHERE id = $1 AND org_id = $2 AND revoked_at IS NULL",
                  "ssi", req->auth.session_id, req->auth.org_id, sd_request_now (req)) < 0 ||
      !sd_request_commit (req, error))
    return FALSE;
  set_session_cookie (req, "", 0);
  sd_request_reply_empty (req, 204);
  return TRUE;
}

/* ---- GET/PATCH /auth/me ---- */

static gboolean
reply_me (SdRequest  *req,
          GError    **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
    "SELECT u.id, u.email, u.name, u.role, u.org_id, u.language, u.time_zone, u.created_at,"
    "       o.name AS organization_name"
    "  FROM users u JOIN organizations o ON o.id = u.org_id"
    " WHERE u.id = $1 AND u.org_id = $2",
    "ss", req->auth.user_id, req->auth.org_id);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED, "this account no longer exists");
      return FALSE;
    }
  JsonObject *o = sd_api_user_json (rows, 0);
  json_object_set_string_member (o, "organization_name", sd_db_rows_text (rows, 0, "organization_name"));
  json_object_set_string_member (o, "token_kind", req->auth.is_api_token ? "api" : "session");
  sd_request_reply_json (req, 200, o);
  return TRUE;
}

static gboolean
handle_me (SdRequest  *req,
           GError    **error)
{
  return sd_request_begin (req, SD_DB_TX_READ, error) && reply_me (req, error);
}

static const SdField me_fields[] = {
  { "name", SD_FIELD_STRING, SD_FIELD_TRIM, 1, 100 },
  { "language", SD_FIELD_STRING, 0, 2, 2 },
  { "time_zone", SD_FIELD_STRING, 0, 1, 64 },
  { NULL }
};

static gboolean
handle_me_update (SdRequest  *req,
                  GError    **error)
{
  const char *language = sd_json_get_string (req->body, "language");
  const char *time_zone = sd_json_get_string (req->body, "time_zone");
  const char *name = sd_json_get_string (req->body, "name");
  g_autofree char *trimmed = name != NULL ? g_strstrip (g_strdup (name)) : NULL;

  if (language != NULL && !g_str_equal (language, "en") && !g_str_equal (language, "de") &&
      !g_str_equal (language, "fr"))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“language” must be en, de or fr");
      return FALSE;
    }
  if (time_zone != NULL && !sd_api_valid_time_zone (time_zone))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "“time_zone” must be an IANA time zone such as Europe/Berlin");
      return FALSE;
    }
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      sd_db_exec (sd_request_db (req), error,
                  "UPDATE users SET name = COALESCE($3, name), language = COALESCE($4, language),"
                  "       time_zone = COALESCE($5, time_zone), updated_at = $6"
                  " WHERE id = $1 AND org_id = $2",
                  "sssssi", req->auth.user_id, req->auth.org_id, trimmed, language, time_zone,
                  sd_request_now (req)) < 0)
    return FALSE;
  return reply_me (req, error);
}

/* ---- POST /auth/password ---- */

typedef struct {
  char *current;
  char *new_password;
  char *old_hash;
  char *new_hash;
  gboolean current_ok;
  GError *error;
} PasswordJob;

static void
password_job_free (gpointer data)
{
  PasswordJob *job = data;
  if (job->current != NULL)
    memset (job->current, 0, strlen (job->current));
  if (job->new_password != NULL)
    memset (job->new_password, 0, strlen (job->new_password));
  g_free (job->current);
  g_free (job->new_password);
  g_free (job->old_hash);
  g_free (job->new_hash);
  g_clear_error (&job->error);
  g_free (job);
}

static void
password_work (gpointer data)
{
  PasswordJob *job = data;
  job->current_ok = sd_password_verify (job->old_hash, job->current);
  if (job->current_ok)
    job->new_hash = sd_password_hash (job->new_password, &job->error);
}

static gboolean
password_done (SdRequest  *req,
               GError    **error)
{
  PasswordJob *job = sd_request_defer_data (req);
  g_autofree char *key = g_strdup_printf ("login-account:%s", req->auth.email);

  if (!job->current_ok)
    {
      sd_rate_limiter_hit (sd_request_rate_limiter (req), key, LOGIN_ACCOUNT_LIMIT, LOGIN_WINDOW_S,
                           g_get_real_time (), NULL);
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN, "the current password is not right");
      return FALSE;
    }
  if (job->new_hash == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return FALSE;
    }
  gint64 now = sd_request_now (req);
  SdDbConn *db = sd_request_db (req);
  /* Signing out every other session is what a user changing a possibly
   * stolen password expects; API tokens stay (they are managed apart). */
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      sd_db_exec (db, error, "UPDATE users SET password_hash = $3, updated_at = $4 WHERE id = $1 AND org_id = $2",
                  "sssi", req->auth.user_id, req->auth.org_id, job->new_hash, now) < 0 ||
      sd_db_exec (db, error,
                  "UPDATE sessions SET revoked_at = $4 WHERE user_id = $1 AND org_id = $2 AND kind = 'session'"
                  " AND id <> $3 AND revoked_at IS NULL",
                  "sssi", req->auth.user_id, req->auth.org_id, req->auth.session_id, now) < 0 ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_empty (req, 204);
  return TRUE;
}

static const SdField password_fields[] = {
  { "current_password", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, SD_PASSWORD_MAX_BYTES },
  { "new_password", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, SD_PASSWORD_MAX_BYTES },
  { NULL }
};

static gboolean
handle_password (SdRequest  *req,
                 GError    **error)
{
  const char *new_password = sd_json_get_string (req->body, "new_password");
  g_autofree char *key = g_strdup_printf ("login-account:%s", req->auth.email);
  guint retry = 0;

  if (sd_rate_limiter_blocked (sd_request_rate_limiter (req), key, LOGIN_ACCOUNT_LIMIT, LOGIN_WINDOW_S,
                               g_get_real_time (), &retry))
    return sd_api_rate_limited (req, retry, error);
  if (!sd_password_check_policy (new_password, error))
    return FALSE;

  g_autoptr(SdDbRows) rows = NULL;
  if (!sd_request_begin (req, SD_DB_TX_READ, error) ||
      (rows = sd_db_query (sd_request_db (req), error,
                           "SELECT password_hash FROM users WHERE id = $1 AND org_id = $2",
                           "ss", req->auth.user_id, req->auth.org_id)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED, "this account no longer exists");
      return FALSE;
    }

  PasswordJob *job = g_new0 (PasswordJob, 1);
  job->current = g_strdup (sd_json_get_string (req->body, "current_password"));
  job->new_password = g_strdup (new_password);
  job->old_hash = g_strdup (sd_db_rows_text (rows, 0, "password_hash"));
  sd_request_defer (req, password_work, password_done, job, password_job_free);
  return TRUE;
}

/* ---- API tokens ---- */

static const char *const known_scopes[] = { "read", "write", "admin", NULL };

static JsonObject *
token_json (SdDbRows *rows,
            guint     i)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "id", sd_db_rows_text (rows, i, "id"));
  json_object_set_string_member (o, "name", sd_db_rows_text (rows, i, "name"));
  JsonArray *scopes = json_array_new ();
  g_auto(GStrv) parts = g_strsplit (sd_db_rows_text (rows, i, "scopes"), " ", -1);
  for (guint k = 0; parts[k] != NULL; k++)
    if (*parts[k] != '\0')
      json_array_add_string_element (scopes, parts[k]);
  json_object_set_array_member (o, "scopes", scopes);
  sd_json_set_time (o, "created_at", sd_db_rows_int (rows, i, "created_at"));
  sd_json_set_time (o, "expires_at",
                    sd_db_rows_is_null (rows, i, "expires_at") ? -1 : sd_db_rows_int (rows, i, "expires_at"));
  return o;
}

static JsonObject *
token_item (SdRequest *req, SdDbRows *rows, guint i, gpointer data)
{
  return token_json (rows, i);
}

static const SdField token_fields[] = {
  { "name", SD_FIELD_STRING, SD_FIELD_REQUIRED | SD_FIELD_TRIM, 1, 100 },
  { "scopes", SD_FIELD_STRING_ARRAY, SD_FIELD_REQUIRED, 1, 3 },
  { "expires_in_days", SD_FIELD_INT, SD_FIELD_NULLABLE, 1, 3650 },
  { NULL }
};

static gboolean
handle_token_create (SdRequest  *req,
                     GError    **error)
{
  JsonArray *array = json_object_get_array_member (req->body, "scopes");
  g_autoptr(GPtrArray) scopes = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *s = json_array_get_string_element (array, i);
      if (!g_strv_contains (known_scopes, s))
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                       "unknown scope “%s” (use read, write or admin)", s);
          return FALSE;
        }
      if (g_str_equal (s, "admin") && req->auth.role != SD_ROLE_ADMIN)
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN, "only admins can make admin tokens");
          return FALSE;
        }
      if (!g_ptr_array_find_with_equal_func (scopes, s, g_str_equal, NULL))
        g_ptr_array_add (scopes, (gpointer) s);
    }
  g_ptr_array_add (scopes, NULL);
  g_autofree char *scope_text = g_strjoinv (" ", (char **) scopes->pdata);

  gint64 now = sd_request_now (req);
  gint64 days = sd_json_get_int (req->body, "expires_in_days", 0);
  g_autofree char *token = sd_token_new (SD_TOKEN_PREFIX_API);
  g_autofree char *hash = sd_token_hash (token);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *name = g_strstrip (g_strdup (sd_json_get_string (req->body, "name")));
  g_autoptr(SdDbRows) rows = NULL;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error))
    return FALSE;
  if (days > 0)
    rows = sd_db_query (sd_request_db (req), error,
                        "INSERT INTO sessions (id, org_id, user_id, token_hash, kind, name, scopes, created_at, expires_at)"
                        " VALUES ($1, $2, $3, $4, 'api', $5, $6, $7, $8)"
                        " RETURNING id, name, scopes, created_at, expires_at",
                        "ssssssii", id, req->auth.org_id, req->auth.user_id, hash, name, scope_text,
                        now, now + days * 86400);
  else
    rows = sd_db_query (sd_request_db (req), error,
                        "INSERT INTO sessions (id, org_id, user_id, token_hash, kind, name, scopes, created_at)"
                        " VALUES ($1, $2, $3, $4, 'api', $5, $6, $7)"
                        " RETURNING id, name, scopes, created_at, expires_at",
                        "ssssssi", id, req->auth.org_id, req->auth.user_id, hash, name, scope_text, now);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;
  JsonObject *o = token_json (rows, 0);
  json_object_set_string_member (o, "token", token);
  sd_request_reply_json (req, 201, o);
  return TRUE;
}

static gboolean
handle_token_list (SdRequest  *req,
                   GError    **error)
{
  g_auto(SdPage) page = { 0 };
  if (!sd_page_parse (req, &page, error) || !sd_request_begin (req, SD_DB_TX_READ, error))
    return FALSE;
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
    "SELECT id, name, scopes, created_at, expires_at FROM sessions"
    " WHERE org_id = $1 AND user_id = $2 AND kind = 'api' AND revoked_at IS NULL"
    "   AND (expires_at IS NULL OR expires_at > $3)"
    "   AND (created_at > $4 OR (created_at = $4 AND id > $5))"
    " ORDER BY created_at, id LIMIT $6",
    "ssiisi", req->auth.org_id, req->auth.user_id, sd_request_now (req), page.after_time,
    page.after_id, page.limit + 1);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;
  sd_page_reply (req, &page, rows, "created_at", token_item, NULL);
  return TRUE;
}

static gboolean
handle_token_revoke (SdRequest  *req,
                     GError    **error)
{
  gint64 changed;
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error))
    return FALSE;
  changed = sd_db_exec (sd_request_db (req), error,
                        "UPDATE sessions SET revoked_at = $4 WHERE id = $1 AND org_id = $2 AND user_id = $3"
                        " AND kind = 'api' AND revoked_at IS NULL",
                        "sssi", sd_request_param (req, "id"), req->auth.org_id, req->auth.user_id,
                        sd_request_now (req));
  if (changed < 0 || !sd_request_commit (req, error))
    return FALSE;
  if (changed == 0)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "no such API token");
      return FALSE;
    }
  sd_request_reply_empty (req, 204);
  return TRUE;
}

const SdRoute sd_api_auth_routes[] = {
  { "POST", "/auth/register", handle_register, SD_ROUTE_PUBLIC, register_fields, 0, NULL },
  { "POST", "/auth/login", handle_login, SD_ROUTE_PUBLIC, login_fields, 0, NULL },
  { "POST", "/auth/logout", handle_logout, SD_ROUTE_AUTH, NULL, 0, "read" },
  { "GET", "/auth/me", handle_me, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "PATCH", "/auth/me", handle_me_update, SD_ROUTE_AUTH, me_fields, 0, NULL },
  { "POST", "/auth/password", handle_password, SD_ROUTE_AUTH | SD_ROUTE_SESSION_ONLY, password_fields, 0, NULL },
  { "POST", "/auth/tokens", handle_token_create, SD_ROUTE_AUTH | SD_ROUTE_SESSION_ONLY, token_fields, 0, NULL },
  { "GET", "/auth/tokens", handle_token_list, SD_ROUTE_AUTH | SD_ROUTE_SESSION_ONLY, NULL, 0, NULL },
  { "DELETE", "/auth/tokens/{id}", handle_token_revoke, SD_ROUTE_AUTH | SD_ROUTE_SESSION_ONLY, NULL, 0, NULL },
  { NULL }
};
