/* sd-api-invitations.c — inviting people into a group by e-mail, and the
 * public side of an invitation code.
 *
 * In a group (authenticated; outsiders of the group get 404):
 *   POST   /groups/{id}/invitations          owner, admins, expert members:
 *          a new 6-character code (sd_token_code), valid config->invitation_ttl_s,
 *          and — in the same transaction — an outbox e-mail to the invitee with
 *          the code, PUBLIC_URL/invite/CODE and tandem://invite/CODE, in the
 *          inviter's language (the invitee has no account to say theirs)
 *   GET    /groups/{id}/invitations          owner and admins (paginated)
 *   DELETE /groups/{id}/invitations/{invitation_id}
 *                                            owner, admins and the inviter: revoke
 * By code (public; codes are case-insensitive; every unknown code counts
 * against the caller's IP and too many are refused with 429, see
 * sd_api_invitation_find):
 *   GET    /invitations/{code}               a limited view: group name and
 *                                            picture, inviter's name, status
 *   GET    /invitations/{code}/avatar        the group's picture (pending only)
 *   GET    /invitations/{code}/qr.png        QR code of the invite URL
 *   GET    /invite/{code}                    a small HTML page for the e-mail link,
 *                                            in the language of Accept-Language
 *   POST   /invitations/{code}/accept        (signed in) join the group; only for
 *                                            accounts of the invitation's organization
 * Statuses on the wire: pending, accepted, revoked, and expired (a pending
 * invitation past expires_at).  Expired, used and revoked codes answer 410
 * (invitation_expired, invitation_used, gone) where they would be used. */
#define G_LOG_DOMAIN "sd-api-invitations"

#include "api/sd-api-groups.h"
#include "api/sd-image.h"

#include "auth/sd-token.h"
#include "sd-i18n.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define CODE_LENGTH 6
#define CODE_ATTEMPTS 8
#define QR_MODULE_PX 8
#define QR_QUIET_MODULES 4

#define INVITATION_COLUMNS "id, code, email, status, expires_at, group_id, created_at, accepted_at"

static char *
invite_url (SdRequest  *req,
            const char *code)
{
  return g_strdup_printf ("%s/invite/%s", sd_request_config (req)->public_url, code);
}

static char *
app_url (const char *code)
{
  return g_strdup_printf ("tandem://invite/%s", code);
}

static const char *
effective_status (SdRequest  *req,
                  const char *status,
                  gint64      expires_at)
{
  if (g_str_equal (status, "pending") && expires_at <= sd_request_now (req))
    return "expired";
  return status;
}

static char *
human_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (unix_seconds);
  return t != NULL ? g_date_time_format (t, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

static JsonObject *
invitation_json (SdRequest *req,
                 SdDbRows  *rows,
                 guint      i)
{
  const char *code = sd_db_rows_text (rows, i, "code");
  gint64 expires_at = sd_db_rows_int (rows, i, "expires_at");
  g_autofree char *url = invite_url (req, code);
  g_autofree char *app = app_url (code);
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "id", sd_db_rows_text (rows, i, "id"));
  json_object_set_string_member (o, "code", code);
  json_object_set_string_member (o, "url", url);
  json_object_set_string_member (o, "app_url", app);
  json_object_set_string_member (o, "email", sd_db_rows_text (rows, i, "email"));
  json_object_set_string_member (o, "status",
                                 effective_status (req, sd_db_rows_text (rows, i, "status"), expires_at));
  sd_json_set_time (o, "expires_at", expires_at);
  json_object_set_string_member (o, "group_id", sd_db_rows_text (rows, i, "group_id"));
  sd_json_set_time (o, "created_at", sd_db_rows_int (rows, i, "created_at"));
  sd_json_set_time (o, "accepted_at",
                    sd_db_rows_is_null (rows, i, "accepted_at") ? -1 : sd_db_rows_int (rows, i, "accepted_at"));
  return o;
}

/* ---- POST /groups/{id}/invitations ---- */

static gboolean
queue_invitation_mail (SdRequest   *req,
                       const char  *to,
                       const char  *group_name,
                       const char  *code,
                       gint64       expires_at,
                       GError     **error)
{
  g_autofree char *group = sd_api_one_line (group_name);
  g_autofree char *inviter = sd_api_one_line (req->auth.name);
  g_autofree char *url = invite_url (req, code);
  g_autofree char *app = app_url (code);
  g_autofree char *until = human_time (expires_at);
  const char *language = req->auth.language;
  g_autofree char *subject = g_strdup_printf (sd_i18n_get (language, N_("%s invited you to “%s” on Tandem")),
                                              inviter, group);
  g_autofree char *text = g_strdup_printf (
    sd_i18n_get (language, N_("Hello,\n"
                              "\n"
                              "%s invited you to join the group “%s” on Tandem.\n"
                              "\n"
                              "Your invitation code: %s\n"
                              "\n"
                              "To accept, open this link:\n"
                              "%s\n"
                              "\n"
                              "If the Tandem app is installed, this link opens it directly:\n"
                              "%s\n"
                              "\n"
                              "The invitation is valid until %s and works once.  If you did not\n"
                              "expect it, you can ignore this e-mail.\n")),
    inviter, group, code, url, app, until);

  g_autoptr(JsonObject) payload = json_object_new ();
  json_object_set_string_member (payload, "to", to);
  json_object_set_string_member (payload, "subject", subject);
  json_object_set_string_member (payload, "text", text);
  return sd_request_outbox (req, "mail", payload, error);
}

static const SdField invite_fields[] = {
  { "email", SD_FIELD_STRING, SD_FIELD_REQUIRED, 3, 254 },
  { NULL }
};

static gboolean
handle_create (SdRequest  *req,
               GError    **error)
{
  const char *group_id = sd_request_param (req, "id");
  g_autofree char *email = sd_api_normalize_email (sd_json_get_string (req->body, "email"));
  g_auto(SdApiGroup) group = { 0 };
  SdDbConn *db = sd_request_db (req);
  gint64 now = sd_request_now (req);
  gint64 expires_at = now + sd_request_config (req)->invitation_ttl_s;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, group_id, &group, error))
    return FALSE;
  if (!group.can_invite)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                           "only the group's owner, admins and experts in the group may invite people");
      return FALSE;
    }
  if (email == NULL)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“email” is not an e-mail address");
      return FALSE;
    }

  g_autoptr(SdDbRows) member = sd_db_query (db, error,
    "SELECT 1 AS found FROM group_members m JOIN users u ON u.id = m.user_id AND u.org_id = m.org_id"
    " WHERE m.group_id = $1 AND m.org_id = $2 AND u.email = $3",
    "sss", group_id, req->auth.org_id, email);
  if (member == NULL)
    return FALSE;
  if (sd_db_rows_n (member) > 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_ALREADY_MEMBER,
                           "the person with this e-mail address is already in the group");
      return FALSE;
    }

  /* A clash with an existing code inserts nothing (no error, which would
   * abort the transaction on PostgreSQL); try another code then. */
  g_autoptr(SdDbRows) rows = NULL;
  for (guint attempt = 0; attempt < CODE_ATTEMPTS; attempt++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *code = sd_token_code (CODE_LENGTH);
      g_clear_pointer (&rows, sd_db_rows_free);
      rows = sd_db_query (db, error,
        "INSERT INTO invitations (id, org_id, group_id, inviter_id, email, code, status, created_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)"
        " ON CONFLICT (code) DO NOTHING"
        " RETURNING " INVITATION_COLUMNS,
        "ssssssii", id, req->auth.org_id, group_id, req->auth.user_id, email, code, now, expires_at);
      if (rows == NULL)
        return FALSE;
      if (sd_db_rows_n (rows) == 1)
        break;
    }
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_UNAVAILABLE,
                           "no free invitation code was found; try again");
      return FALSE;
    }
  if (!queue_invitation_mail (req, email, group.name, sd_db_rows_text (rows, 0, "code"), expires_at, error) ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_json (req, 201, invitation_json (req, rows, 0));
  return TRUE;
}

/* ---- GET /groups/{id}/invitations ---- */

static JsonObject *
invitation_item (SdRequest *req, SdDbRows *rows, guint i, gpointer data)
{
  return invitation_json (req, rows, i);
}

static gboolean
handle_list (SdRequest  *req,
             GError    **error)
{
  const char *group_id = sd_request_param (req, "id");
  g_auto(SdPage) page = { 0 };
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) rows = NULL;

  if (!sd_page_parse (req, &page, error) ||
      !sd_request_begin (req, SD_DB_TX_READ, error) ||
      !sd_api_group_load (req, group_id, &group, error) ||
      !sd_api_group_require_manager (&group, error) ||
      (rows = sd_db_query (sd_request_db (req), error,
                           "SELECT " INVITATION_COLUMNS " FROM invitations"
                           " WHERE group_id = $1 AND org_id = $2"
                           "   AND (created_at > $3 OR (created_at = $3 AND id > $4))"
                           " ORDER BY created_at, id LIMIT $5",
                           "ssisi", group_id, req->auth.org_id, page.after_time,
                           page.after_id, page.limit + 1)) == NULL ||
      !sd_request_commit (req, error))
    return FALSE;

  sd_page_reply (req, &page, rows, "created_at", invitation_item, NULL);
  return TRUE;
}

/* ---- DELETE /groups/{id}/invitations/{invitation_id} ---- */

static gboolean
handle_revoke (SdRequest  *req,
               GError    **error)
{
  const char *group_id = sd_request_param (req, "id");
  const char *invitation_id = sd_request_param (req, "invitation_id");
  g_auto(SdApiGroup) group = { 0 };
  g_autoptr(SdDbRows) rows = NULL;
  SdDbConn *db = sd_request_db (req);

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_group_load (req, group_id, &group, error) ||
      (rows = sd_db_query (db, error,
                           "SELECT status, inviter_id FROM invitations"
                           " WHERE id = $1 AND group_id = $2 AND org_id = $3",
                           "sss", invitation_id, group_id, req->auth.org_id)) == NULL)
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such invitation in this group");
      return FALSE;
    }
  if (!group.can_manage && g_strcmp0 (sd_db_rows_text (rows, 0, "inviter_id"), req->auth.user_id) != 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                           "only the inviter, the group's owner and admins may withdraw an invitation");
      return FALSE;
    }
  const char *status = sd_db_rows_text (rows, 0, "status");
  if (g_str_equal (status, "accepted"))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT,
                           "this invitation was already used; remove the member from the group instead");
      return FALSE;
    }
  if (g_str_equal (status, "pending") &&
      sd_db_exec (db, error,
                  "UPDATE invitations SET status = 'revoked' WHERE id = $1 AND org_id = $2 AND status = 'pending'",
                  "ss", invitation_id, req->auth.org_id) < 0)
    return FALSE;
  if (!sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_empty (req, 204);
  return TRUE;
}

/* ---- GET /invitations/{code} ---- */

static gboolean
handle_public_show (SdRequest  *req,
                    GError    **error)
{
  g_auto(SdApiInvitation) inv = { 0 };
  g_autofree char *code = g_ascii_strup (sd_request_param (req, "code"), -1);

  if (!sd_api_invitation_find (req, code, FALSE, &inv, error))
    return FALSE;
  const char *status = effective_status (req, inv.status, inv.expires_at);

  JsonObject *group = json_object_new ();
  json_object_set_string_member (group, "id", inv.group_id);
  json_object_set_string_member (group, "name", inv.group_name);
  if (inv.has_avatar && g_str_equal (inv.status, "pending"))
    {
      g_autofree char *avatar = g_strdup_printf ("/invitations/%s/avatar", code);
      json_object_set_string_member (group, "avatar_url", avatar);
    }
  else
    json_object_set_null_member (group, "avatar_url");

  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "code", code);
  json_object_set_object_member (o, "group", group);
  sd_json_set_string_or_null (o, "inviter_name", inv.inviter_name);
  json_object_set_string_member (o, "status", status);
  sd_json_set_time (o, "expires_at", inv.expires_at);
  sd_request_reply_json (req, 200, o);
  return TRUE;
}

/* ---- GET /invitations/{code}/avatar ---- */

static gboolean
handle_public_avatar (SdRequest  *req,
                      GError    **error)
{
  g_auto(SdApiInvitation) inv = { 0 };
  g_autofree char *code = g_ascii_strup (sd_request_param (req, "code"), -1);

  /* The lookup first, so that guessing codes here is rate limited too. */
  if (!sd_api_invitation_find (req, code, FALSE, &inv, error))
    return FALSE;
  g_autoptr(SdDbRows) rows = sd_db_sys (sd_request_db (req), error, SD_DB_SYS_INVITATION_AVATAR, "s", code);
  if (rows == NULL)
    return FALSE;
  return sd_api_group_reply_avatar (req, rows, error);
}

/* ---- GET /invitations/{code}/qr.png ---- */

static gboolean
handle_public_qr (SdRequest  *req,
                  GError    **error)
{
  g_auto(SdApiInvitation) inv = { 0 };
  g_autofree char *code = g_ascii_strup (sd_request_param (req, "code"), -1);

  if (!sd_api_invitation_find (req, code, FALSE, &inv, error))
    return FALSE;
  g_autofree char *url = invite_url (req, code);
  g_autoptr(GBytes) png = sd_image_qr_png (url, QR_MODULE_PX, QR_QUIET_MODULES, error);
  if (png == NULL)
    return FALSE;
  sd_request_reply_bytes (req, 200, "image/png", png);
  return TRUE;
}

/* ---- POST /invitations/{code}/accept ---- */

static gboolean
handle_accept (SdRequest  *req,
               GError    **error)
{
  g_auto(SdApiInvitation) inv = { 0 };
  g_auto(SdApiGroup) group = { 0 };

  if (!sd_api_invitation_find (req, sd_request_param (req, "code"), TRUE, &inv, error))
    return FALSE;
  if (g_strcmp0 (inv.org_id, req->auth.org_id) != 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                           "this invitation is for another organization, and an account belongs to one "
                           "organization only; sign up with the code to make an account there");
      return FALSE;
    }
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_invitation_redeem (req, &inv, req->auth.user_id, error) ||
      !sd_api_group_load (req, inv.group_id, &group, error) ||
      !sd_request_commit (req, error))
    return FALSE;
  JsonObject *o = json_object_new ();
  json_object_set_object_member (o, "group", sd_api_group_json (group.rows, 0));
  sd_request_reply_json (req, 200, o);
  return TRUE;
}

/* ---- GET /invite/{code} ---- */

static const char page_style[] =
  "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
  "background:#f4f5f7;color:#1d2430}"
  "main{max-width:28rem;margin:2rem auto;padding:2rem;background:#fff;border-radius:12px;"
  "box-shadow:0 1px 4px rgba(0,0,0,.12);text-align:center}"
  "h1{font-size:1.5rem;margin:.5rem 0}"
  ".avatar{width:96px;height:96px;border-radius:50%;object-fit:cover}"
  ".code{font:700 2.5rem/1.2 ui-monospace,'DejaVu Sans Mono',monospace;letter-spacing:.3em;margin:.5rem 0}"
  ".button{display:inline-block;margin:1rem 0;padding:.8rem 1.6rem;border-radius:8px;"
  "background:#2d6cdf;color:#fff;text-decoration:none;font-weight:600}"
  ".qr{width:200px;height:200px;image-rendering:pixelated}"
  ".small{color:#5b6472;font-size:.9rem}";

static void
reply_page (SdRequest  *req,
            const char *language,
            guint       status,
            const char *title,
            const char *body_html)
{
  g_autofree char *title_html = g_markup_escape_text (title, -1);
  g_autofree char *lang = g_strdelimit (g_strdup (language), "_", '-');
  g_autofree char *page = g_strdup_printf (
    "<!DOCTYPE html>\n"
    "<html lang=\"%s\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<meta name=\"robots\" content=\"noindex\">"
    "<title>%s</title><style>%s</style></head>\n"
    "<body><main>\n%s</main></body></html>\n",
    lang, title_html, page_style, body_html);
  /* The code is in the URL: never send it on as a referrer. */
  sd_request_set_header (req, "Content-Security-Policy",
                         "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                         "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  sd_request_set_header (req, "Referrer-Policy", "no-referrer");
  sd_request_set_header (req, "Vary", "Accept-Language");
  sd_request_set_header (req, "X-Frame-Options", "DENY");
  gsize len = strlen (page);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&page), len);
  sd_request_reply_bytes (req, status, "text/html; charset=utf-8", bytes);
}

static void
reply_problem_page (SdRequest  *req,
                    const char *language,
                    guint       status,
                    const char *title,
                    const char *message)
{
  g_autofree char *t = g_markup_escape_text (title, -1);
  g_autofree char *m = g_markup_escape_text (message, -1);
  g_autofree char *body = g_strdup_printf ("<h1>%s</h1>\n<p>%s</p>\n", t, m);
  reply_page (req, language, status, title, body);
}

static gboolean
handle_invite_page (SdRequest  *req,
                    GError    **error)
{
  g_auto(SdApiInvitation) inv = { 0 };
  g_autoptr(GError) local = NULL;
  g_autofree char *code = g_ascii_strup (sd_request_param (req, "code"), -1);
  const char *language = sd_i18n_negotiate (sd_request_header (req, "Accept-Language"));
#define T(msgid) sd_i18n_get (language, msgid)

  if (!sd_api_invitation_find (req, code, FALSE, &inv, &local))
    {
      if (g_error_matches (local, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
        reply_problem_page (req, language, 404, T (N_("Invitation not found")),
                            T (N_("There is no invitation with this code. Check the link in your e-mail.")));
      else if (g_error_matches (local, TANDEM_ERROR, TANDEM_ERROR_RATE_LIMITED))
        reply_problem_page (req, language, 429, T (N_("Too many attempts")),
                            T (N_("Too many invitation codes were tried from here. Please wait a while and try again.")));
      else
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return TRUE;
    }

  const char *status = effective_status (req, inv.status, inv.expires_at);
  if (!g_str_equal (status, "pending"))
    {
      const char *message =
        g_str_equal (status, "accepted")
          ? T (N_("This invitation has already been used. Ask the person who invited you for a new one."))
        : g_str_equal (status, "revoked")
          ? T (N_("This invitation was withdrawn. Ask the person who invited you for a new one."))
          : T (N_("This invitation has expired. Ask the person who invited you for a new one."));
      reply_problem_page (req, language, 410, T (N_("Invitation no longer valid")), message);
      return TRUE;
    }

  g_autofree char *group = g_markup_escape_text (inv.group_name, -1);
  g_autofree char *inviter = g_markup_escape_text (inv.inviter_name != NULL ? inv.inviter_name : T (N_("Someone")), -1);
  g_autofree char *code_html = g_markup_escape_text (code, -1);
  g_autofree char *app = app_url (code);
  g_autofree char *app_html = g_markup_escape_text (app, -1);
  g_autofree char *until = human_time (inv.expires_at);
  g_autofree char *until_html = g_markup_escape_text (until, -1);
  g_autofree char *avatar_html = NULL;
  if (inv.has_avatar)
    avatar_html = g_strdup_printf ("<img class=\"avatar\" src=\"/invitations/%s/avatar\" alt=\"\">\n", code_html);

  g_autofree char *qr_alt = g_markup_escape_text (T (N_("QR code of this invitation")), -1);
  g_autofree char *join = g_strdup_printf (T (N_("Join “%s”")), group);
  g_autofree char *invited = g_strdup_printf (T (N_("%s invited you to this group on Tandem.")), inviter);
  g_autofree char *valid = g_strdup_printf (T (N_("Valid until %s.")), until_html);
  /* Translations are text: escape them (the arguments above already are). */
  g_autofree char *code_label = g_markup_escape_text (T (N_("Your invitation code")), -1);
  g_autofree char *open_app = g_markup_escape_text (T (N_("Open in the Tandem app")), -1);
  g_autofree char *scan = g_markup_escape_text (
    T (N_("Scan the QR code with your phone, or enter the code in the app when you sign up.")), -1);
  g_autofree char *body = g_strdup_printf (
    "%s"
    "<h1>%s</h1>\n"
    "<p>%s</p>\n"
    "<p class=\"small\">%s</p>\n"
    "<p class=\"code\">%s</p>\n"
    "<p><a class=\"button\" href=\"%s\">%s</a></p>\n"
    "<p><img class=\"qr\" src=\"/invitations/%s/qr.png\" alt=\"%s\"></p>\n"
    "<p class=\"small\">%s</p>\n"
    "<p class=\"small\">%s</p>\n",
    avatar_html != NULL ? avatar_html : "", join, invited, code_label, code_html, app_html, open_app,
    code_html, qr_alt, scan, valid);
  g_autofree char *title = g_strdup_printf (T (N_("Join “%s” on Tandem")), inv.group_name);
#undef T
  reply_page (req, language, 200, title, body);
  return TRUE;
}

const SdRoute sd_api_invitations_routes[] = {
  { "POST", "/groups/{id}/invitations", handle_create, SD_ROUTE_AUTH, invite_fields, 0, NULL },
  { "GET", "/groups/{id}/invitations", handle_list, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "DELETE", "/groups/{id}/invitations/{invitation_id}", handle_revoke, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/invitations/{code}", handle_public_show, SD_ROUTE_PUBLIC, NULL, 0, NULL },
  { "GET", "/invitations/{code}/avatar", handle_public_avatar, SD_ROUTE_PUBLIC, NULL, 0, NULL },
  { "GET", "/invitations/{code}/qr.png", handle_public_qr, SD_ROUTE_PUBLIC, NULL, 0, NULL },
  { "POST", "/invitations/{code}/accept", handle_accept, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "GET", "/invite/{code}", handle_invite_page, SD_ROUTE_PUBLIC, NULL, 0, NULL },
  { NULL }
};
