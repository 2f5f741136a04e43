/* tg-members-view.h — a group's picture and members (GET
 * /groups/{id}/members, every page), with buttons to invite, change the
 * picture and remove members for those allowed to. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TG_TYPE_MEMBERS_VIEW (tg_members_view_get_type ())

G_DECLARE_FINAL_TYPE (TgMembersView, tg_members_view, TG, MEMBERS_VIEW, AdwBin)

/* Shows @group (NULL: nothing) and loads its members; @can_manage shows
 * the controls of owners and admins. */
void     tg_members_view_set_group    (TgMembersView *self,
                                       JsonObject    *group,
                                       gboolean       can_manage);
void     tg_members_view_reload       (TgMembersView *self);
/* Loads the picture again (after a change). */
void     tg_members_view_reload_avatar (TgMembersView *self);
/* Members listed (after a load). */
guint    tg_members_view_get_n_members (TgMembersView *self);

G_END_DECLS
