/* tg-blocked-group.h — the expert's blocked times (they hold in every
 * group), on the availability page: those not over yet (GET
 * …/coaching/blocked?from=now), "Block Time…"
 * (TgBlockedDialog → POST) and a remove button on each (DELETE
 * …/coaching/blocked/{id}).  Times are shown in the user's time zone. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TG_TYPE_BLOCKED_GROUP (tg_blocked_group_get_type ())

G_DECLARE_FINAL_TYPE (TgBlockedGroup, tg_blocked_group, TG, BLOCKED_GROUP, AdwPreferencesGroup)

void        tg_blocked_group_set_group  (TgBlockedGroup *self,
                                         const char     *group_id);
void        tg_blocked_group_reload     (TgBlockedGroup *self);
gboolean    tg_blocked_group_is_loading (TgBlockedGroup *self);
/* The ranges listed (the server's objects), in order. */
guint       tg_blocked_group_get_n_items (TgBlockedGroup *self);
JsonObject *tg_blocked_group_get_item   (TgBlockedGroup *self,
                                         guint           index);
/* Opens the dialog ("Block Time…"); returns it. */
GtkWidget  *tg_blocked_group_add        (TgBlockedGroup *self);
/* Sends a new range (what the dialog's "saved" does). */
void        tg_blocked_group_create     (TgBlockedGroup *self,
                                         gint64          start,
                                         gint64          end,
                                         const char     *reason);

G_END_DECLS
