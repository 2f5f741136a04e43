/* tg-booking-view.h — booking a session, the student's page: pick a coach
 * of the group, one of their session types, a day on the calendar (days
 * with free times are marked) and a free time (buttons), all shown in the
 * user's own time zone; it opens on the first day with free times (in the
 * next month when this one has none left).  Then Book (POST
 * …/coaching/bookings).  When the
 * time was taken meanwhile (409 slot_unavailable) it says so and loads
 * the free times again.
 *
 * The same page moves a booking (tg_booking_view_reschedule()): coach and
 * session type are the booking's, Book becomes Reschedule (POST
 * …/bookings/{id}/reschedule).
 *
 * Emits "done" (the booking the server returned) after booking or moving,
 * and "back" when the person leaves the page. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TG_TYPE_BOOKING_VIEW (tg_booking_view_get_type ())

G_DECLARE_FINAL_TYPE (TgBookingView, tg_booking_view, TG, BOOKING_VIEW, AdwBin)

/* A new booking in group @group_id with one of @experts (members of the
 * group: JsonObject with "id" and "name"). */
void        tg_booking_view_book          (TgBookingView *self,
                                           const char    *group_id,
                                           GPtrArray     *experts);
/* Moves @booking (of group @group_id); @expert_name for the title. */
void        tg_booking_view_reschedule    (TgBookingView *self,
                                           const char    *group_id,
                                           JsonObject    *booking,
                                           const char    *expert_name);

/* Whether something is loading or being sent. */
gboolean    tg_booking_view_is_busy       (TgBookingView *self);

/* Choices, as the widgets make them (for tests too). */
gboolean    tg_booking_view_select_expert (TgBookingView *self,
                                           const char    *expert_id);
gboolean    tg_booking_view_select_type   (TgBookingView *self,
                                           const char    *type_id);
/* Shows the free times of @day (a date in the user's zone). */
void        tg_booking_view_select_day    (TgBookingView *self,
                                           GDateTime     *day);
/* Picks the free time starting at @start (RFC 3339); FALSE when it is not
 * one of the shown day's. */
gboolean    tg_booking_view_select_slot   (TgBookingView *self,
                                           const char    *start);
/* Book / Reschedule. */
void        tg_booking_view_confirm       (TgBookingView *self);

/* What is shown: the free times loaded for the month (RFC 3339 starts, in
 * order), those of the selected day, whether a day is marked, the message
 * under the form ("" when none). */
GPtrArray  *tg_booking_view_get_slots     (TgBookingView *self);
GPtrArray  *tg_booking_view_get_day_slots (TgBookingView *self);
gboolean    tg_booking_view_day_is_marked (TgBookingView *self,
                                           guint          day_of_month);
const char *tg_booking_view_get_message   (TgBookingView *self);

G_END_DECLS
