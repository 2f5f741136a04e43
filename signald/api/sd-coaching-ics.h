/* sd-coaching-ics.h — bookings as iCalendar (shared/tandem-ics.h): the
 * invitation or cancellation attached to each booking e-mail, and the
 * expert's calendar feed.
 *
 * Every booking is one event with the stable UID "booking-ID@tandem", so
 * an invitation, its updates (SEQUENCE = the booking's sequence), its
 * cancellation and the feed all speak of the same calendar entry.  Texts
 * (summary, description) are in the reader's language. */
#pragma once

#include "api/sd-coaching-info.h"

G_BEGIN_DECLS

#define SD_COACHING_ICS_PRODID "-//Tandem//Coaching//EN"

/* The UID of booking @booking_id; newly allocated. */
char *sd_coaching_ics_uid        (const char *booking_id);

/* The invitation (METHOD:REQUEST, STATUS:CONFIRMED) or, with @cancel, the
 * cancellation (METHOD:CANCEL, STATUS:CANCELLED) of @info as @me sees it
 * (summary "TYPE with OTHER" in @me's language).  The organizer is the
 * expert; both participants are attendees who have accepted. */
char *sd_coaching_ics_invitation (const SdCoachingInfo   *info,
                                  gboolean                cancel,
                                  const SdCoachingPerson *me,
                                  const SdCoachingPerson *other,
                                  gint64                  now);

/* The calendar feed of @expert: METHOD:PUBLISH with one event per row of
 * @rows (selected with SD_COACHING_INFO_SELECT), cancelled ones with
 * STATUS:CANCELLED. */
char *sd_coaching_ics_feed       (const char             *calendar_name,
                                  const char             *language,
                                  SdDbRows               *rows,
                                  gint64                  now);

G_END_DECLS
