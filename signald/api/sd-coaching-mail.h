/* sd-coaching-mail.h — the e-mails around a booking: booked, cancelled,
 * moved (each with an iCalendar invitation or cancellation attached) and
 * the reminders (24 h, 1 h, 15 min before).
 *
 * Each goes to both participants, the expert and the student, in the
 * recipient's language (users.language, sd-i18n.h) with times in the
 * recipient's time zone (users.time_zone), as outbox rows of kind "mail"
 * (jobs/sd-outbox.h) written in the caller's transaction. */
#pragma once

#include "store/sd-db.h"

G_BEGIN_DECLS

typedef enum {
  SD_COACHING_MAIL_BOOKED,       /* METHOD:REQUEST */
  SD_COACHING_MAIL_CANCELLED,    /* METHOD:CANCEL */
  SD_COACHING_MAIL_RESCHEDULED,  /* METHOD:REQUEST with the booking's new SEQUENCE */
  SD_COACHING_MAIL_REMINDER,     /* no attachment */
} SdCoachingMailKind;

typedef struct {
  SdCoachingMailKind kind;
  const char *reason;          /* CANCELLED: the reason given, may be NULL */
  gint64 previous_start;       /* RESCHEDULED: the start before the move, or 0 */
  const char *reminder;        /* REMINDER: "24h", "1h" or "15m" */
} SdCoachingMail;

/* Inside an open write transaction as @org_id: queues @mail about booking
 * @booking_id to its expert and its student.  *@queued (may be NULL) is
 * the number of outbox rows written: 0 when there is no such booking.
 * FALSE with @error when the database fails. */
gboolean sd_coaching_mail_queue (SdDbConn              *conn,
                                 const char            *org_id,
                                 const char            *booking_id,
                                 const SdCoachingMail  *mail,
                                 gint64                 now,
                                 guint                 *queued,
                                 GError               **error);

/* "Monday, 3 March 2025, 14:00" (@with_end FALSE) or "Monday, 3 March
 * 2025, 14:00–14:45 (Europe/Berlin)", in @language and @time_zone (UTC
 * when it is unknown).  Exposed for tests. */
char    *sd_coaching_mail_format_time (gint64       start,
                                       gint64       end,
                                       gboolean     with_end,
                                       const char  *language,
                                       const char  *time_zone);

G_END_DECLS
