/* tg-member-row.h — a member of a group: name, e-mail or role, an "Owner"
 * tag, and a remove button for those who may remove members. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TG_TYPE_MEMBER_ROW (tg_member_row_get_type ())

G_DECLARE_FINAL_TYPE (TgMemberRow, tg_member_row, TG, MEMBER_ROW, AdwActionRow)

/* @member: a user of GET /groups/{id}/members (with is_owner). */
TgMemberRow *tg_member_row_new     (JsonObject  *member,
                                    gboolean     can_remove);
const char  *tg_member_row_get_id  (TgMemberRow *self);

G_END_DECLS
