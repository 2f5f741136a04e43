/* sd-api-finalize.c — POST /assets/{id}/finalize: a reviewer declares the
 * review of an asset done.
 *
 * Who: those who may review the asset (sd-api-media-common.h: admins, the
 * group's owner, its expert members); its student owner gets 403, everybody
 * else 404.  Only a `pending` asset (every video uploaded and probed) can be
 * finalized; it becomes `completed` with finalized_at and finalized_by set.
 * Any other status answers 409 invalid_transition.  The reply is the asset
 * with its videos, as GET /assets/{id} shows it.
 *
 * In the same transaction an outbox e-mail tells the asset's owner who
 * finalized which video, with links to it, in the owner's language
 * (sd-i18n.h).  No e-mail goes out when owners finalize their own asset. */
#define G_LOG_DOMAIN "sd-api-finalize"

#include "api/sd-api-media-common.h"
#include "sd-i18n.h"

#include <glib/gi18n-lib.h>

static gboolean
queue_finalized_mail (SdRequest         *req,
                      const SdApiAsset  *asset,
                      GError           **error)
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
  g_autofree char *video = sd_api_one_line (sd_db_rows_text (asset->rows, 0, "name"));
  g_autofree char *app_url = g_strdup_printf ("tandem://assets/%s", asset->id);
  g_autofree char *web_url = g_strdup_printf ("%s/assets/%s", sd_api_public_url (req), asset->id);

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
require_reviewer (const SdApiAsset  *asset,
                  GError           **error)
{
  if (asset->can_review)
    return TRUE;
  g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                       "only the group's experts, its owner and the organization's admins may finalize an asset");
  return FALSE;
}

static gboolean
handle_finalize (SdRequest  *req,
                 GError    **error)
{
  const char *id = sd_request_param (req, "id");
  g_auto(SdApiAsset) asset = { 0 };
  g_auto(SdApiAsset) finalized = { 0 };
  gint64 changed;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !sd_api_asset_load (req, id, &asset, error) ||
      !require_reviewer (&asset, error))
    return FALSE;

  /* The status condition in the UPDATE makes the transition atomic: a
   * concurrent finalize (or delete) leaves nothing to update here. */
  changed = sd_db_exec (sd_request_db (req), error,
                        "UPDATE assets SET status = 'completed', finalized_at = $3, finalized_by = $4, updated_at = $3"
                        " WHERE id = $1 AND org_id = $2 AND status = 'pending'",
                        "ssis", id, req->auth.org_id, sd_request_now (req), req->auth.user_id);
  if (changed < 0)
    return FALSE;
  if (changed == 0)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_TRANSITION,
                   "only a pending asset can be finalized (this one is %s)", asset.status);
      return FALSE;
    }
  if ((!asset.is_owner && !queue_finalized_mail (req, &asset, error)) ||
      !sd_api_asset_load (req, id, &finalized, error))
    return FALSE;
  JsonObject *reply = sd_api_asset_json_with_videos (req, finalized.rows, error);
  if (reply == NULL)
    return FALSE;
  if (!sd_request_commit (req, error))
    {
      json_object_unref (reply);
      return FALSE;
    }
  sd_request_reply_json (req, 200, reply);
  return TRUE;
}

const SdRoute sd_api_finalize_routes[] = {
  { "POST", "/assets/{id}/finalize", handle_finalize, SD_ROUTE_AUTH, NULL, 0, NULL },
  { NULL }
};
