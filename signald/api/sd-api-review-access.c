/* sd-api-review-access.c — loading an asset with the caller's review
 * rights; the rules are in sd-api-review-access.h. */
#define G_LOG_DOMAIN "sd-api-reviews"

#include "api/sd-api-review-access.h"

#include <string.h>

void
sd_api_review_asset_clear (SdApiReviewAsset *asset)
{
  g_clear_pointer (&asset->rows, sd_db_rows_free);
  memset (asset, 0, sizeof *asset);
}

gboolean
sd_api_review_asset_load (SdRequest         *req,
                          const char        *asset_id,
                          SdApiReviewAsset  *out,
                          GError           **error)
{
  SdDbRows *rows = sd_db_query (sd_request_db (req), error,
    "SELECT a.id, a.name, a.status, a.owner_id, a.group_id, g.owner_id AS group_owner_id,"
    "       EXISTS (SELECT 1 FROM group_members m"
    "                WHERE m.group_id = a.group_id AND m.org_id = $2 AND m.user_id = $3) AS is_member"
    "  FROM assets a JOIN groups g ON g.id = a.group_id AND g.org_id = a.org_id"
    " WHERE a.id = $1 AND a.org_id = $2",
    "sss", asset_id, req->auth.org_id, req->auth.user_id);
  if (rows == NULL)
    return FALSE;

  gboolean found = sd_db_rows_n (rows) == 1;
  const char *me = req->auth.user_id;
  gboolean is_owner = found && g_strcmp0 (sd_db_rows_text (rows, 0, "owner_id"), me) == 0;
  gboolean reviewer = found &&
    (req->auth.role == SD_ROLE_ADMIN ||
     g_strcmp0 (sd_db_rows_text (rows, 0, "group_owner_id"), me) == 0 ||
     (req->auth.role == SD_ROLE_EXPERT && sd_db_rows_bool (rows, 0, "is_member")));
  if (!is_owner && !reviewer)
    {
      sd_db_rows_free (rows);
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such asset");
      return FALSE;
    }
  out->rows = rows;
  out->id = sd_db_rows_text (rows, 0, "id");
  out->name = sd_db_rows_text (rows, 0, "name");
  out->status = sd_db_rows_text (rows, 0, "status");
  out->owner_id = sd_db_rows_text (rows, 0, "owner_id");
  out->group_id = sd_db_rows_text (rows, 0, "group_id");
  out->is_owner = is_owner;
  out->can_review = reviewer;
  return TRUE;
}

gboolean
sd_api_review_asset_require_reviewer (const SdApiReviewAsset  *asset,
                                      GError                 **error)
{
  if (asset->can_review)
    return TRUE;
  g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                       "only the group's experts, its owner and the organization's admins may do that");
  return FALSE;
}
