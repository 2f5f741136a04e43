/* sd-coaching-notify.h — what happens around a booking besides the row:
 * e-mails with an iCalendar invitation to both participants, and the
 * reminder rows (24 h, 1 h, 15 min before).
 *
 * Called by the booking handlers (sd-api-bookings.c) inside the request's
 * open write transaction, as the booking's organization, after the booking
 * row has been written (or updated), so everything commits or rolls back
 * together.  The e-mails go out through the outbox.
 */
#pragma once

#include "sd-request.h"

G_BEGIN_DECLS

typedef enum {
  SD_COACHING_BOOKED,        /* new booking: invitation, reminders planned */
  SD_COACHING_CANCELLED,     /* cancellation (METHOD:CANCEL), reminders dropped */
  SD_COACHING_RESCHEDULED,   /* moved: updated invitation (SEQUENCE+1), reminders re-planned */
} SdCoachingEvent;

/* @reason: the cancellation reason (may be NULL); @previous_start: for
 * SD_COACHING_RESCHEDULED, the start (unix seconds) before the move, else 0. */
gboolean sd_coaching_notify (SdRequest        *req,
                             const char       *booking_id,
                             SdCoachingEvent   event,
                             const char       *reason,
                             gint64            previous_start,
                             GError          **error);

G_END_DECLS
