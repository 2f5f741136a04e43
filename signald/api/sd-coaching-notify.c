/* sd-coaching-notify.c — reminder rows and e-mails around a booking
 * (see sd-coaching-notify.h; the e-mails are made in sd-coaching-mail.c,
 * the reminders sent by jobs/sd-reminders.c). */
#include "sd-coaching-notify.h"

#include "api/sd-coaching-mail.h"

static const struct {
  const char *kind;
  gint64 before;   /* seconds before the start */
} reminder_kinds[] = {
  { "24h", 24 * 3600 },
  { "1h",  3600 },
  { "15m", 15 * 60 },
};

/* Drops the booking's unsent reminders and, for a live booking, plans one
 * row per kind whose moment is still ahead. */
static gboolean
plan_reminders (SdRequest *req, const char *booking_id, GError **error)
{
  SdDbConn *conn = sd_request_db (req);
  gint64 now = sd_request_now (req);

  if (sd_db_exec (conn, error,
                  "DELETE FROM coaching_reminders WHERE booking_id = $1 AND sent_at IS NULL",
                  "s", booking_id) < 0)
    return FALSE;

  g_autoptr(SdDbRows) rows = sd_db_query (conn, error,
      "SELECT org_id, start_at, status FROM coaching_bookings WHERE id = $1",
      "s", booking_id);
  if (rows == NULL)
    return FALSE;
  if (sd_db_rows_n (rows) == 0 || g_strcmp0 (sd_db_rows_text (rows, 0, "status"), "booked") != 0)
    return TRUE;

  const char *org_id = sd_db_rows_text (rows, 0, "org_id");
  gint64 start = sd_db_rows_int (rows, 0, "start_at");
  for (gsize i = 0; i < G_N_ELEMENTS (reminder_kinds); i++)
    {
      gint64 due = start - reminder_kinds[i].before;
      if (due <= now)
        continue;
      g_autofree char *id = g_uuid_string_random ();
      /* A row of this kind already sent (before a reschedule) is replaced. */
      if (sd_db_exec (conn, error,
                      "DELETE FROM coaching_reminders WHERE booking_id = $1 AND kind = $2",
                      "ss", booking_id, reminder_kinds[i].kind) < 0 ||
          sd_db_exec (conn, error,
                      "INSERT INTO coaching_reminders (id, org_id, booking_id, kind, due_at) "
                      "VALUES ($1, $2, $3, $4, $5)",
                      "ssssi", id, org_id, booking_id, reminder_kinds[i].kind, due) < 0)
        return FALSE;
    }
  return TRUE;
}

gboolean
sd_coaching_notify (SdRequest        *req,
                    const char       *booking_id,
                    SdCoachingEvent   event,
                    const char       *reason,
                    gint64            previous_start,
                    GError          **error)
{
  SdCoachingMail mail = {
    .reason = reason,
    .previous_start = previous_start,
  };
  switch (event)
    {
    case SD_COACHING_BOOKED:
      mail.kind = SD_COACHING_MAIL_BOOKED;
      break;
    case SD_COACHING_CANCELLED:
      mail.kind = SD_COACHING_MAIL_CANCELLED;
      break;
    case SD_COACHING_RESCHEDULED:
      mail.kind = SD_COACHING_MAIL_RESCHEDULED;
      break;
    default:
      g_return_val_if_reached (FALSE);
    }

  guint queued = 0;
  if (!plan_reminders (req, booking_id, error) ||
      !sd_coaching_mail_queue (sd_request_db (req), req->tx_org_id, booking_id, &mail,
                               sd_request_now (req), &queued, error))
    return FALSE;
  if (queued > 0)
    req->outbox_written = TRUE;
  return TRUE;
}
