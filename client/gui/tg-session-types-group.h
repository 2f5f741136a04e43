/* tg-session-types-group.h — the expert's session types in one group, on
 * the availability page: the list with inactive ones marked (GET
 * …/coaching/session-types), "Add…" and the pencil (TgSessionTypeDialog →
 * POST, PATCH …/session-types/{id}), and Deactivate / Activate (PATCH
 * {"active"}): students book only active ones, and past bookings keep
 * theirs. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TG_TYPE_SESSION_TYPES_GROUP (tg_session_types_group_get_type ())

G_DECLARE_FINAL_TYPE (TgSessionTypesGroup, tg_session_types_group, TG, SESSION_TYPES_GROUP, AdwPreferencesGroup)

void        tg_session_types_group_set_group    (TgSessionTypesGroup *self,
                                                 const char          *group_id);
void        tg_session_types_group_reload       (TgSessionTypesGroup *self);
gboolean    tg_session_types_group_is_loading   (TgSessionTypesGroup *self);
guint       tg_session_types_group_get_n_items  (TgSessionTypesGroup *self);
JsonObject *tg_session_types_group_get_item     (TgSessionTypesGroup *self,
                                                 guint                index);
/* Opens the dialog for a new type (NULL) or type @id; returns it. */
GtkWidget  *tg_session_types_group_edit         (TgSessionTypesGroup *self,
                                                 const char          *id);

G_END_DECLS
