/* tg-group-page.h — one group: its library (TgLibraryView) and its people
 * (TgMembersView) in a view switcher, with the group's actions:
 *
 *   group.upload          pick video files → TgUploadDialog → TgUploadManager
 *   group.invite          TgInviteDialog (e-mail, QR code, link)
 *   group.change-avatar   pick a PNG/JPEG → PUT /groups/{id}/avatar
 *   group.remove-avatar   DELETE /groups/{id}/avatar
 *
 * The "Sessions" page (TgSessionsView) is everyone's; "Availability"
 * (TgAvailabilityView) only experts' and admins'.
 *
 * Emits "asset-activated" (asset id), "group-changed" (group id) when the
 * group itself changed (its picture), and "join-booking" (booking id) when
 * Join was pressed on an upcoming session. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "tg-availability-view.h"
#include "tg-library-view.h"
#include "tg-members-view.h"
#include "tg-sessions-view.h"

G_BEGIN_DECLS

#define TG_TYPE_GROUP_PAGE (tg_group_page_get_type ())

G_DECLARE_FINAL_TYPE (TgGroupPage, tg_group_page, TG, GROUP_PAGE, AdwBin)

/* Shows @group (a Group of the API; NULL: none) from its library. */
void           tg_group_page_set_group       (TgGroupPage *self,
                                              JsonObject  *group);
/* The same group with fresh details (name, picture, member count). */
void           tg_group_page_update_group    (TgGroupPage *self,
                                              JsonObject  *group);
JsonObject    *tg_group_page_get_group       (TgGroupPage *self);
/* Shows a back button (the window is narrow). */
void           tg_group_page_set_folded      (TgGroupPage *self,
                                              gboolean     folded);
/* An asset of @group_id changed (an upload finished): reload when shown. */
void           tg_group_page_asset_changed   (TgGroupPage *self,
                                              const char  *group_id);

/* What the file choosers lead to, also for tests: the upload dialog for
 * @files, and a new picture from @file. */
void           tg_group_page_upload_files    (TgGroupPage *self,
                                              GListModel  *files);
void           tg_group_page_set_avatar_file (TgGroupPage *self,
                                              GFile       *file);

/* "library", "members", "sessions" or "availability". */
void           tg_group_page_show_view       (TgGroupPage *self,
                                              const char  *name);
TgLibraryView *tg_group_page_get_library     (TgGroupPage *self);
TgMembersView *tg_group_page_get_members     (TgGroupPage *self);
TgSessionsView *tg_group_page_get_sessions   (TgGroupPage *self);
TgAvailabilityView *tg_group_page_get_availability (TgGroupPage *self);
/* Whether the Availability page is offered (experts and admins). */
gboolean       tg_group_page_can_coach       (TgGroupPage *self);

G_END_DECLS
