/* sd-api-groups.h — what sd-api-groups.c shares with sd-api-invitations.c:
 * loading a group as the caller sees it, the caller's rights in it, and the
 * group's JSON.
 *
 * Visibility: a group is visible to the admins of its organization and to
 * its members; to anybody else it does not exist (404, never 403).
 * Management (rename, picture, delete, remove others, list and revoke
 * invitations): the group's owner and the organization's admins.
 * Inviting: managers and the experts who are members of the group. */
#pragma once

#include "api/sd-api.h"

G_BEGIN_DECLS

typedef struct {
  SdDbRows *rows;       /* one row; read it with sd_api_group_json (rows, 0) */
  const char *id;       /* belong to rows */
  const char *name;
  const char *owner_id;
  gboolean is_member;
  gboolean is_owner;
  gboolean can_manage;
  gboolean can_invite;
} SdApiGroup;

void        sd_api_group_clear   (SdApiGroup *group);

/* Inside an open transaction: loads @group_id as seen by the caller.
 * Fails with NOT_FOUND when it does not exist in the caller's organization
 * or is not visible to the caller. */
gboolean    sd_api_group_load    (SdRequest   *req,
                                  const char  *group_id,
                                  SdApiGroup  *out,
                                  GError     **error);

/* Fails with FORBIDDEN unless the caller may manage @group. */
gboolean    sd_api_group_require_manager (const SdApiGroup  *group,
                                          GError           **error);

/* {"id","name","owner_id","has_avatar","avatar_url","member_count",
 *  "created_at","updated_at"} of row @i of rows from sd_api_group_load()
 * or the group list. */
JsonObject *sd_api_group_json    (SdDbRows   *rows,
                                  guint       i);

/* Reply with the avatar in @rows (columns avatar, avatar_type), or fail with
 * NOT_FOUND when @rows is empty. */
gboolean    sd_api_group_reply_avatar (SdRequest  *req,
                                       SdDbRows   *rows,
                                       GError    **error);

G_END_DECLS

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdApiGroup, sd_api_group_clear)
