/* sd-reminders.c — the reminder scheduler (see sd-reminders.h): claim due
 * reminders across organizations, send each in its own organization's
 * transaction. */
#define G_LOG_DOMAIN "sd-reminders"

#include "jobs/sd-reminders.h"

#include "api/sd-coaching-mail.h"
#include "sd-server.h"

#define BATCH 50

struct _SdReminders {
  SdServer *server;
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean stopping;
};

SdReminders *
sd_reminders_new (SdServer *server)
{
  SdReminders *reminders = g_new0 (SdReminders, 1);
  reminders->server = server;
  g_mutex_init (&reminders->lock);
  g_cond_init (&reminders->cond);
  return reminders;
}

typedef enum {
  OUTCOME_SENT,
  OUTCOME_SKIPPED,
  OUTCOME_GONE,      /* deleted (booking moved or cancelled) or sent by another */
} Outcome;

/* Inside the transaction of send_one(), once the reminder is ours: queues
 * its e-mails unless it is not worth sending any more. */
static gboolean
queue_mails (SdDbConn    *conn,
             const char  *org_id,
             const char  *reminder_id,
             gint64       now,
             Outcome     *outcome,
             GError     **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (conn, error,
    "SELECT r.booking_id, r.kind, b.status, b.start_at,"
    "       EXISTS (SELECT 1 FROM coaching_reminders l"
    "                WHERE l.booking_id = r.booking_id AND l.org_id = r.org_id"
    "                  AND l.due_at > r.due_at AND l.due_at <= $3) AS later_due"
    "  FROM coaching_reminders r JOIN coaching_bookings b ON b.id = r.booking_id"
    " WHERE r.id = $1 AND r.org_id = $2",
    "ssi", reminder_id, org_id, now);
  if (rows == NULL)
    return FALSE;

  *outcome = OUTCOME_SKIPPED;
  if (sd_db_rows_n (rows) != 1 ||
      g_strcmp0 (sd_db_rows_text (rows, 0, "status"), "booked") != 0 ||
      sd_db_rows_int (rows, 0, "start_at") <= now ||
      sd_db_rows_bool (rows, 0, "later_due"))
    return TRUE;

  SdCoachingMail mail = {
    .kind = SD_COACHING_MAIL_REMINDER,
    .reminder = sd_db_rows_text (rows, 0, "kind"),
  };
  guint queued = 0;
  /* The e-mails are stamped with the clock, whatever @now says is due. */
  gint64 wall = g_get_real_time () / G_USEC_PER_SEC;
  if (!sd_coaching_mail_queue (conn, org_id, sd_db_rows_text (rows, 0, "booking_id"), &mail, wall,
                               &queued, error))
    return FALSE;
  if (queued > 0)
    *outcome = OUTCOME_SENT;
  return TRUE;
}

/* Sends one claimed reminder in a transaction of @org_id. */
static gboolean
send_one (SdDbConn    *conn,
          const char  *org_id,
          const char  *reminder_id,
          gint64       now,
          Outcome     *outcome,
          GError     **error)
{
  *outcome = OUTCOME_GONE;
  if (!sd_db_begin (conn, SD_DB_TX_WRITE, org_id, error))
    return FALSE;

  /* The guard that makes it once: only the first to get here changes the
   * row; a concurrent sender waits for this transaction, then finds
   * sent_at set and changes nothing. */
  gint64 changed = sd_db_exec (conn, error,
                               "UPDATE coaching_reminders SET sent_at = $3"
                               " WHERE id = $1 AND org_id = $2 AND sent_at IS NULL",
                               "ssi", reminder_id, org_id, now);
  if (changed == 0)
    {
      sd_db_rollback (conn);
      return TRUE;
    }
  if (changed < 0 ||
      !queue_mails (conn, org_id, reminder_id, now, outcome, error) ||
      !sd_db_commit (conn, error))
    {
      *outcome = OUTCOME_GONE;
      sd_db_rollback (conn);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_reminders_run (SdServer           *server,
                  SdDbConn           *conn,
                  gint64              now,
                  SdRemindersResult  *result,
                  GError            **error)
{
  guint sent_before = result->sent;
  gboolean ok = TRUE;

  for (;;)
    {
      g_autoptr(SdDbRows) rows = sd_db_sys (conn, error, SD_DB_SYS_REMINDERS_CLAIM, "iii", now,
                                            now + SD_REMINDERS_LEASE_S, (gint64) BATCH);
      if (rows == NULL)
        {
          ok = FALSE;
          break;
        }
      for (guint i = 0; i < sd_db_rows_n (rows); i++)
        {
          Outcome outcome;
          const char *id = sd_db_rows_text (rows, i, "id");
          g_autoptr(GError) local_error = NULL;
          /* A failure leaves the row claimed: it is tried again when the
           * claim ends. */
          if (!send_one (conn, sd_db_rows_text (rows, i, "org_id"), id, now, &outcome, &local_error))
            {
              g_warning ("cannot send reminder %s: %s", id, local_error->message);
              continue;
            }
          if (outcome == OUTCOME_SENT)
            result->sent++;
          else if (outcome == OUTCOME_SKIPPED)
            result->skipped++;
        }
      if (sd_db_rows_n (rows) < BATCH)
        break;
    }
  if (result->sent > sent_before)
    sd_server_kick_outbox (server);
  return ok;
}

static gpointer
reminders_main (gpointer data)
{
  SdReminders *reminders = data;
  gint64 interval = MAX (sd_server_get_config (reminders->server)->reminder_poll_s, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = sd_db_connect (sd_server_get_db (reminders->server), &error);
  if (conn == NULL)
    {
      g_critical ("the reminder scheduler cannot connect to the database: %s", error->message);
      return NULL;
    }

  g_mutex_lock (&reminders->lock);
  while (!reminders->stopping)
    {
      g_mutex_unlock (&reminders->lock);
      SdRemindersResult result = { 0 };
      g_autoptr(GError) run_error = NULL;
      if (!sd_reminders_run (reminders->server, conn, g_get_real_time () / G_USEC_PER_SEC, &result, &run_error))
        g_warning ("cannot look for due reminders: %s", run_error->message);
      else if (result.sent > 0)
        g_message ("sent %u reminder%s", result.sent, result.sent == 1 ? "" : "s");
      g_mutex_lock (&reminders->lock);
      gint64 until = g_get_monotonic_time () + interval * G_USEC_PER_SEC;
      while (!reminders->stopping && g_cond_wait_until (&reminders->cond, &reminders->lock, until))
        ;
    }
  g_mutex_unlock (&reminders->lock);
  return NULL;
}

gboolean
sd_reminders_start (SdReminders  *reminders,
                    GError      **error)
{
  g_return_val_if_fail (reminders->thread == NULL, FALSE);
  reminders->stopping = FALSE;
  reminders->thread = g_thread_try_new ("sd-reminders", reminders_main, reminders, error);
  return reminders->thread != NULL;
}

void
sd_reminders_stop (SdReminders *reminders)
{
  if (reminders == NULL || reminders->thread == NULL)
    return;
  g_mutex_lock (&reminders->lock);
  reminders->stopping = TRUE;
  g_cond_signal (&reminders->cond);
  g_mutex_unlock (&reminders->lock);
  g_thread_join (reminders->thread);
  reminders->thread = NULL;
}

void
sd_reminders_free (SdReminders *reminders)
{
  if (reminders == NULL)
    return;
  sd_reminders_stop (reminders);
  g_mutex_clear (&reminders->lock);
  g_cond_clear (&reminders->cond);
  g_free (reminders);
}
