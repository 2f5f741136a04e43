/* tg-window.h — the main window: the sign-in page, the invitation page,
 * and once signed in a leaflet with the groups on the side and the
 * selected group's library, an asset or the uploads as content.  Errors
 * anywhere end up as toasts (tg_window_toast()). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct _TgApplication TgApplication;

#define TG_TYPE_WINDOW (tg_window_get_type ())

G_DECLARE_FINAL_TYPE (TgWindow, tg_window, TG, WINDOW, AdwApplicationWindow)

TgWindow   *tg_window_new              (TgApplication *app);

/* Shows the invitation @code (signed in: to accept it; signed out: to
 * register with it). */
void        tg_window_open_invitation  (TgWindow      *self,
                                        const char    *code);

/* Opens the asset @asset_id (of the group shown). */
void        tg_window_open_asset       (TgWindow      *self,
                                        const char    *asset_id);

/* Opens the call of booking @booking_id (of the group shown): what Join
 * on an upcoming session does, also as the action "win.join-booking"
 * (string parameter: the booking id).  Shows the "call" page. */
void        tg_window_join_booking     (TgWindow      *self,
                                        const char    *booking_id);

/* Selects the group @group_id in the sidebar (when listed). */
gboolean    tg_window_select_group     (TgWindow      *self,
                                        const char    *group_id);

/* Loads the groups again (after joining or creating one). */
void        tg_window_reload_groups    (TgWindow      *self,
                                        const char    *select_id);

/* The name of the page on show: "loading", "sign-in", "invite", or for the
 * signed-in part "empty", "group", "asset", "uploads", "call". */
const char *tg_window_get_page         (TgWindow      *self);

/* Shows @text as a toast in the window holding @widget (any widget). */
void        tg_window_toast            (GtkWidget     *widget,
                                        const char    *text);
/* Takes every toast away.  (libadwaita 1.2 can crash when a toast is
 * dismissed during its show animation; the tests run without animations.) */
void        tg_window_dismiss_toasts   (TgWindow      *self);
/* Shows tg_error_sentence (@error, @doing), unless @error is a cancellation. */
void        tg_window_toast_error      (GtkWidget     *widget,
                                        const GError  *error,
                                        const char    *doing);

G_END_DECLS
