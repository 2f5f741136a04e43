/* tg-sessions-view.h — the group's "Sessions" page, for everyone: the
 * caller's upcoming sessions in this group (with whom, when in the user's
 * time zone, which type), each with
 *
 *   Join          shown only within the connect window (from the start −
 *                 the window, 15 minutes unless the server says, to the
 *                 end); emits "join-booking" with the booking's id
 *   Reschedule…   the booking page in reschedule mode (TgBookingView)
 *   Cancel        TgCancelDialog (a reason) → POST …/bookings/{id}/cancel;
 *                 the server's refusal (too late) is shown above the list
 *
 * and "Book a Session…" which opens TgBookingView with the group's other
 * coaches that offer a session type (GET …/coaching/experts). */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "tg-booking-view.h"

G_BEGIN_DECLS

#define TG_TYPE_SESSIONS_VIEW (tg_sessions_view_get_type ())

G_DECLARE_FINAL_TYPE (TgSessionsView, tg_sessions_view, TG, SESSIONS_VIEW, AdwBin)

/* Shows @group's sessions (NULL: none) and loads them with the members. */
void           tg_sessions_view_set_group        (TgSessionsView *self,
                                                  JsonObject     *group);
void           tg_sessions_view_reload           (TgSessionsView *self);
gboolean       tg_sessions_view_is_loading       (TgSessionsView *self);

/* The upcoming bookings listed, soonest first. */
guint          tg_sessions_view_get_n_bookings   (TgSessionsView *self);
JsonObject    *tg_sessions_view_get_booking      (TgSessionsView *self,
                                                  guint           index);
/* The row of booking @id, or NULL. */
GtkWidget     *tg_sessions_view_get_row          (TgSessionsView *self,
                                                  const char     *id);
/* Shows or hides the Join buttons for the time now (a timer does this
 * every 15 seconds). */
void           tg_sessions_view_update_join      (TgSessionsView *self);

/* What the buttons do. */
void           tg_sessions_view_book             (TgSessionsView *self);
void           tg_sessions_view_reschedule       (TgSessionsView *self,
                                                  const char     *id);
GtkWidget     *tg_sessions_view_cancel           (TgSessionsView *self,
                                                  const char     *id);
/* Sends the cancellation (what the dialog's "Cancel Session" does). */
void           tg_sessions_view_send_cancel      (TgSessionsView *self,
                                                  const char     *id,
                                                  const char     *reason);

/* "list" or "book". */
const char    *tg_sessions_view_get_page         (TgSessionsView *self);
TgBookingView *tg_sessions_view_get_booking_view (TgSessionsView *self);
/* The message above the list ("" when none). */
const char    *tg_sessions_view_get_message      (TgSessionsView *self);

G_END_DECLS
