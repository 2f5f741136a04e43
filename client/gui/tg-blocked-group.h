/* tg-blocked-group.h — the expert's blocked times (they hold in every
 * group), on the availability page: those not over yet (GET
 * …/coaching/blocked?from=now), "Block Time…"
 * (TgBlockedDialog → POST) and a remove button on each (DELETE
 * …/coaching/blocked/{id}).  Times are shown in the user's time zone. */
#pragma once

#include "tg-remote-list-group.h"

G_BEGIN_DECLS

#define TG_TYPE_BLOCKED_GROUP (tg_blocked_group_get_type ())

/* A TgRemoteListGroup: its group, loading state and ranges listed (the
 * server's objects, in order) through the tg_remote_list_group_*() calls. */
G_DECLARE_FINAL_TYPE (TgBlockedGroup, tg_blocked_group, TG, BLOCKED_GROUP, TgRemoteListGroup)

/* Opens the dialog ("Block Time…"); returns it. */
GtkWidget  *tg_blocked_group_add        (TgBlockedGroup *self);
/* Sends a new range (what the dialog's "saved" does). */
void        tg_blocked_group_create     (TgBlockedGroup *self,
                                         gint64          start,
                                         gint64          end,
                                         const char     *reason);

G_END_DECLS
