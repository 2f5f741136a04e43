/* tg-session-types-group.h — the expert's session types in one group, on
 * the availability page: the list with inactive ones marked (GET
 * …/coaching/session-types), "Add…" and the pencil (TgSessionTypeDialog →
 * POST, PATCH …/session-types/{id}), and Deactivate / Activate (PATCH
 * {"active"}): students book only active ones, and past bookings keep
 * theirs. */
#pragma once

#include "tg-remote-list-group.h"

G_BEGIN_DECLS

#define TG_TYPE_SESSION_TYPES_GROUP (tg_session_types_group_get_type ())

/* A TgRemoteListGroup: its group, loading state and types listed (the
 * caller's own, in the server's order) through the tg_remote_list_group_*()
 * calls. */
G_DECLARE_FINAL_TYPE (TgSessionTypesGroup, tg_session_types_group, TG, SESSION_TYPES_GROUP, TgRemoteListGroup)

/* Opens the dialog for a new type (NULL) or type @id; returns it. */
GtkWidget  *tg_session_types_group_edit         (TgSessionTypesGroup *self,
                                                 const char          *id);

G_END_DECLS
