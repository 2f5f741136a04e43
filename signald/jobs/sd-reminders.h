/* sd-reminders.h — the coaching reminder scheduler: sends the reminder
 * e-mails (24 h, 1 h, 15 min before a session; rows of
 * coaching_reminders planned by api/sd-coaching-notify.c) when they are
 * due, on a thread of its own that looks every config->reminder_poll_s
 * (30 s), so a reminder goes out at most about half a minute late.
 * `--reminders off` leaves the work to other instances or to an external
 * cron calling POST /internal/coaching/reminders (sd-api-internal.c),
 * which runs sd_reminders_run().
 *
 * Each reminder goes out once, across restarts and any number of signald
 * instances on one database: due rows are claimed across organizations
 * (SD_DB_SYS_REMINDERS_CLAIM, a lease in claimed_until, so instances
 * share the work), then each is sent in one transaction of its booking's
 * organization that sets sent_at only where it is still NULL and writes
 * the two e-mails to the outbox; a second sender finds sent_at set and
 * writes nothing. */
#pragma once

#include "sd-types.h"
#include "store/sd-db.h"

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SdReminders SdReminders;

/* How long a claim holds a reminder for one scheduler. */
#define SD_REMINDERS_LEASE_S 120

typedef struct {
  guint sent;      /* reminders whose e-mails were queued */
  guint skipped;   /* due but not worth sending: booking cancelled or begun, or a
                      later reminder of it is due too; marked sent without e-mail */
} SdRemindersResult;

SdReminders *sd_reminders_new   (SdServer     *server);
gboolean     sd_reminders_start (SdReminders  *reminders,
                                 GError      **error);
/* Stop the thread and wait for it; safe to call twice. */
void         sd_reminders_stop  (SdReminders  *reminders);
void         sd_reminders_free  (SdReminders  *reminders);

/* Send every reminder due at @now (the current time, but for tests) on
 * the calling thread with @conn (no transaction open), then wake the
 * outbox; the e-mails are stamped with the real clock.  Adds to *@result.  FALSE with
 * @error when the database failed (what was sent until then stays sent). */
gboolean     sd_reminders_run   (SdServer           *server,
                                 SdDbConn           *conn,
                                 gint64              now,
                                 SdRemindersResult  *result,
                                 GError            **error);

G_END_DECLS
