/* sd-api-users.c — an organization's users: list (admins and experts), add
 * with a password (admins), show, change role or name (admins). */
#define G_LOG_DOMAIN "sd-api-users"

#include "api/sd-api.h"

#include "auth/sd-password.h"

#include <string.h>

static JsonObject *
user_item (SdRequest *req, SdDbRows *rows, guint i, gpointer data)
{
  return sd_api_user_json (rows, i);
}

static gboolean
handle_list (SdRequest  *req,
             GError    **error)
{
  g_auto(SdPage) page = { 0 };
  const char *role = sd_request_query (req, "role");

  if (!sd_request_require_role (req, error, SD_ROLE_ADMIN, SD_ROLE_EXPERT, SD_ROLE_NONE) ||
      !sd_page_parse (req, &page, error))
    return FALSE;
  if (role != NULL && sd_role_from_string (role) == SD_ROLE_NONE)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST, "role must be admin, expert or student");
      return FALSE;
    }
  if (!sd_request_begin (req, SD_DB_TX_READ, error))
    return FALSE;
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
    "SELECT " SD_API_USER_COLUMNS " FROM users"
    " WHERE org_id = $1 AND (role = $2 OR $2 IS NULL)"
    "   AND (created_at > $3 OR (created_at = $3 AND id > $4))"
    " ORDER BY created_at, id LIMIT $5",
    "ssisi", req->auth.org_id, role, page.after_time, page.after_id, page.limit + 1);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;
  sd_page_reply (req, &page, rows, "created_at", user_item, NULL);
  return TRUE;
}

typedef struct {
  char *id, *email, *name, *role, *password, *hash;
  GError *error;
} CreateJob;

static void
create_job_free (gpointer data)
{
  CreateJob *job = data;
  g_free (job->id); g_free (job->email); g_free (job->name); g_free (job->role);
  if (job->password != NULL)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job->hash);
  g_clear_error (&job->error);
  g_free (job);
}

static void
create_work (gpointer data)
{
  CreateJob *job = data;
  job->hash = sd_password_hash (job->password, &job->error);
}

static gboolean
create_done (SdRequest  *req,
             GError    **error)
{
  CreateJob *job = sd_request_defer_data (req);
  gint64 now = sd_request_now (req);
  if (job->hash == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return FALSE;
    }
  g_autoptr(SdDbRows) rows = NULL;
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error))
    return FALSE;
  rows = sd_db_query (sd_request_db (req), error,
    "INSERT INTO users (id, org_id, email, name, role, password_hash, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING " SD_API_USER_COLUMNS,
    "ssssssi", job->id, req->auth.org_id, job->email, job->name, job->role, job->hash, now);
  if (rows == NULL)
    {
      sd_api_map_constraint (error, TANDEM_ERROR_EMAIL_TAKEN, "an account with this e-mail already exists");
      return FALSE;
    }
  if (!sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_json (req, 201, sd_api_user_json (rows, 0));
  return TRUE;
}

static const SdField create_fields[] = {
  { "email", SD_FIELD_STRING, SD_FIELD_REQUIRED, 3, 254 },
  { "name", SD_FIELD_STRING, SD_FIELD_REQUIRED | SD_FIELD_TRIM, 1, 100 },
  { "role", SD_FIELD_STRING, SD_FIELD_REQUIRED, 5, 7 },
  { "password", SD_FIELD_STRING, SD_FIELD_REQUIRED, 1, SD_PASSWORD_MAX_BYTES },
  { NULL }
};

static gboolean
handle_create (SdRequest  *req,
               GError    **error)
{
  const char *role = sd_json_get_string (req->body, "role");
  const char *password = sd_json_get_string (req->body, "password");
  g_autofree char *email = sd_api_normalize_email (sd_json_get_string (req->body, "email"));

  if (!sd_request_require_role (req, error, SD_ROLE_ADMIN, SD_ROLE_NONE))
    return FALSE;
  if (email == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“email” is not an e-mail address");
      return FALSE;
    }
  if (sd_role_from_string (role) == SD_ROLE_NONE)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“role” must be admin, expert or student");
      return FALSE;
    }
  if (!sd_password_check_policy (password, error))
    return FALSE;

  CreateJob *job = g_new0 (CreateJob, 1);
  job->id = g_uuid_string_random ();
  job->email = g_steal_pointer (&email);
  job->name = g_strstrip (g_strdup (sd_json_get_string (req->body, "name")));
  job->role = g_strdup (role);
  job->password = g_strdup (password);
  sd_request_defer (req, create_work, create_done, job, create_job_free);
  return TRUE;
}

static gboolean
handle_show (SdRequest  *req,
             GError    **error)
{
  const char *id = sd_request_param (req, "id");
  gboolean self = g_str_equal (id, req->auth.user_id);

  if (!self && req->auth.role == SD_ROLE_STUDENT)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN, "students can only see their own account here");
      return FALSE;
    }
  if (!sd_request_begin (req, SD_DB_TX_READ, error))
    return FALSE;
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
    "SELECT " SD_API_USER_COLUMNS " FROM users WHERE id = $1 AND org_id = $2", "ss", id, req->auth.org_id);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "no such user");
      return FALSE;
    }
  sd_request_reply_json (req, 200, sd_api_user_json (rows, 0));
  return TRUE;
}

static const SdField update_fields[] = {
  { "name", SD_FIELD_STRING, SD_FIELD_TRIM, 1, 100 },
  { "role", SD_FIELD_STRING, 0, 5, 7 },
  { NULL }
};

static gboolean
handle_update (SdRequest  *req,
               GError    **error)
{
  const char *id = sd_request_param (req, "id");
  const char *role = sd_json_get_string (req->body, "role");
  const char *name = sd_json_get_string (req->body, "name");
  g_autofree char *trimmed = name != NULL ? g_strstrip (g_strdup (name)) : NULL;
  SdDbConn *db = sd_request_db (req);

  if (!sd_request_require_role (req, error, SD_ROLE_ADMIN, SD_ROLE_NONE))
    return FALSE;
  if (role != NULL && sd_role_from_string (role) == SD_ROLE_NONE)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“role” must be admin, expert or student");
      return FALSE;
    }
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error))
    return FALSE;

  if (role != NULL && !g_str_equal (role, "admin"))
    {
      /* An organization never loses its last admin. */
      g_autoptr(SdDbRows) admins = sd_db_query (db, error,
        "SELECT COUNT(*) AS n, SUM(CASE WHEN id = $2 THEN 1 ELSE 0 END) AS is_admin"
        "  FROM users WHERE org_id = $1 AND role = 'admin'", "ss", req->auth.org_id, id);
      if (admins == NULL)
        return FALSE;
      if (sd_db_rows_int (admins, 0, "is_admin") > 0 && sd_db_rows_int (admins, 0, "n") <= 1)
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT, "the organization needs at least one admin");
          return FALSE;
        }
    }
  g_autoptr(SdDbRows) rows = sd_db_query (db, error,
    "UPDATE users SET role = COALESCE($3, role), name = COALESCE($4, name), updated_at = $5"
    " WHERE id = $1 AND org_id = $2 RETURNING " SD_API_USER_COLUMNS,
    "ssssi", id, req->auth.org_id, role, trimmed, sd_request_now (req));
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "no such user");
      return FALSE;
    }
  sd_request_reply_json (req, 200, sd_api_user_json (rows, 0));
  return TRUE;
}

const SdRoute sd_api_users_routes[] = {
  { "GET", "/users", handle_list, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "POST", "/users", handle_create, SD_ROUTE_AUTH, create_fields, 0, "admin" },
  { "GET", "/users/{id}", handle_show, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "PATCH", "/users/{id}", handle_update, SD_ROUTE_AUTH, update_fields, 0, "admin" },
  { NULL }
};
