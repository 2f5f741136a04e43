/* sd-api-finalize.c — POST /assets/{id}/finalize: a reviewer declares the
 * review of an asset done.
 *
 * Who: those who may review the asset (sd-api-review-access.h: admins, the
 * group's owner, its expert members); its student owner gets 403, everybody
 * else 404.  Only a `pending` asset (every video uploaded and probed) can be
 * finalized; it becomes `completed` with finalized_at and finalized_by set.
 * Any other status answers 409 invalid_transition.
 *
 * In the same transaction an outbox e-mail tells the asset's owner who
 * finalized which video, with links to it, in the owner's language
 * (sd-i18n.h).  No e-mail goes out when owners finalize their own asset. */
#define G_LOG_DOMAIN "sd-api-finalize"

#include "api/sd-api-review-access.h"
#include "sd-i18n.h"

#include <glib/gi18n-lib.h>

static JsonObject *
asset_json (SdDbRows *rows,
            guint     i)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "id", sd_db_rows_text (rows, i, "id"));
  json_object_set_string_member (o, "name", sd_db_rows_text (rows, i, "name"));
  json_object_set_string_member (o, "status", sd_db_rows_text (rows, i, "status"));
  json_object_set_string_member (o, "owner_id", sd_db_rows_text (rows, i, "owner_id"));
  json_object_set_string_member (o, "group_id", sd_db_rows_text (rows, i, "group_id"));
  sd_json_set_time (o, "finalized_at", sd_db_rows_is_null (rows, i, "finalized_at")
                                       ? -1 : sd_db_rows_int (rows, i, "finalized_at"));
  sd_json_set_string_or_null (o, "finalized_by", sd_db_rows_text (rows, i, "finalized_by"));
  sd_json_set_time (o, "updated_at", sd_db_rows_int (rows, i, "updated_at"));
  return o;
}

static gboolean
queue_finalized_mail (SdRequest               *req,
                      const SdApiReviewAsset  *asset,
                      GError                 **error)
{
  g_autoptr(SdDbRows) owner = sd_db_query (sd_request_db (req), error,
    "SELECT email, name, language FROM users WHERE id = $1 AND org_id = $2",
    "ss", asset->owner_id, req->auth.org_id);
  if (owner == NULL)
    return FALSE;
  if (sd_db_rows_n (owner) != 1)
    return TRUE;  /* cannot happen: the owner's row cascades to the asset */

  const char *language = sd_db_rows_text (owner, 0, "language");
  g_autofree char *owner_name = sd_api_one_line (sd_db_rows_text (owner, 0, "name"));
  g_autofree char *reviewer = sd_api_one_line (req->auth.name);
  g_autofree char *video = sd_api_one_line (asset->name);
  g_autofree char *app_url = g_strdup_printf ("tandem://assets/%s", asset->id);
  g_autofree char *web_url = g_strdup_printf ("%s/assets/%s", sd_request_config (req)->public_url, asset->id);

  g_autofree char *subject = g_strdup_printf (sd_i18n_get (language, N_("Your video “%s” was reviewed")), video);
  g_autofree char *text = g_strdup_printf (
    sd_i18n_get (language, N_("Hello %s,\n"
                              "\n"
                              "%s has reviewed your video “%s” and finalized the review.\n"
                              "\n"
                              "Open it in the Tandem app:\n"
                              "%s\n"
                              "\n"
                              "Its address on the server:\n"
                              "%s\n")),
    owner_name, reviewer, video, app_url, web_url);

  g_autoptr(JsonObject) payload = json_object_new ();
  json_object_set_string_member (payload, "to", sd_db_rows_text (owner, 0, "email"));
  json_object_set_string_member (payload, "to_name", owner_name);
  json_object_set_string_member (payload, "subject", subject);
  json_object_set_string_member (payload, "text", text);
  return sd_request_outbox (req, "mail", payload, error);
}

static gboolean
handle_finalize (SdRequest  *req,
                 GError    **error)
{
  SdDbConn *db = sd_request_db (req);
  g_auto(SdApiReviewAsset) asset = { 0 };
  g_autoptr(SdDbRows) rows = NULL;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_review_asset_load (req, sd_request_param (req, "id"), &asset, error) ||
      !sd_api_review_asset_require_reviewer (&asset, error))
    return FALSE;

  /* The status condition in the UPDATE makes the transition atomic: a
   * concurrent finalize (or delete) leaves nothing to update here. */
  rows = sd_db_query (db, error,
                      "UPDATE assets SET status = 'completed', finalized_at = $3, finalized_by = $4, updated_at = $3"
                      " WHERE id = $1 AND org_id = $2 AND status = 'pending'"
                      " RETURNING id, name, status, owner_id, group_id, finalized_at, finalized_by, updated_at",
                      "ssis", asset.id, req->auth.org_id, sd_request_now (req), req->auth.user_id);
  if (rows == NULL)
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_TRANSITION,
                   "only a pending asset can be finalized (this one is %s)", asset.status);
      return FALSE;
    }
  if (!asset.is_owner && !queue_finalized_mail (req, &asset, error))
    return FALSE;
  if (!sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_json (req, 200, asset_json (rows, 0));
  return TRUE;
}

const SdRoute sd_api_finalize_routes[] = {
  { "POST", "/assets/{id}/finalize", handle_finalize, SD_ROUTE_AUTH, NULL, 0, NULL },
  { NULL }
};
