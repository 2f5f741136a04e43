/* sd-api-review-access.h — an asset as the reviewing side sees it: who may
 * read its reviews, write them, and finalize it.  Shared by
 * sd-api-reviews.c and sd-api-finalize.c.
 *
 * Seeing an asset (and so reading and writing its reviews): its owner, the
 * organization's admins, the owner of the asset's group, and the experts who
 * are members of that group.  Anybody else — another student of the group,
 * an expert outside it, another organization — gets 404: for them the asset
 * does not exist.
 * Reviewing (finalizing): those who see it, except a student owner, who
 * gets 403 (they may still comment on and answer reviews of their asset). */
#pragma once

#include "api/sd-api.h"

G_BEGIN_DECLS

typedef struct {
  SdDbRows *rows;          /* the asset row; strings below belong to it */
  const char *id;
  const char *name;
  const char *status;      /* waiting_upload, pending, completed */
  const char *owner_id;
  const char *group_id;
  gboolean is_owner;
  gboolean can_review;     /* admin, group owner, expert member */
} SdApiReviewAsset;

void     sd_api_review_asset_clear (SdApiReviewAsset *asset);

/* Inside an open transaction: loads @asset_id as seen by the caller, or
 * fails with NOT_FOUND when it does not exist in the caller's organization
 * or the caller may not see it. */
gboolean sd_api_review_asset_load  (SdRequest         *req,
                                    const char        *asset_id,
                                    SdApiReviewAsset  *out,
                                    GError           **error);

/* Fails with FORBIDDEN unless the caller may review @asset. */
gboolean sd_api_review_asset_require_reviewer (const SdApiReviewAsset  *asset,
                                               GError                 **error);

G_END_DECLS

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdApiReviewAsset, sd_api_review_asset_clear)
