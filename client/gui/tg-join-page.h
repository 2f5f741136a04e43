/* tg-join-page.h — where "Join" on an upcoming session leads (the window's
 * "call" page).  For now a placeholder that names the session and says the
 * call starts; the call page of issue 6 replaces it behind
 * tg_window_join_booking() (the "join-booking" signal of TgSessionsView,
 * re-emitted by TgGroupPage, and the "win.join-booking" action). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TG_TYPE_JOIN_PAGE (tg_join_page_get_type ())

G_DECLARE_FINAL_TYPE (TgJoinPage, tg_join_page, TG, JOIN_PAGE, AdwBin)

/* Shows booking @booking_id of group @group_id (loads it for its details). */
void        tg_join_page_set_booking (TgJoinPage *self,
                                      const char *group_id,
                                      const char *booking_id);
const char *tg_join_page_get_booking (TgJoinPage *self);

G_END_DECLS
