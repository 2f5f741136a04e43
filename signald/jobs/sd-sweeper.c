/* sd-sweeper.c — the expiry of unfinished uploads: finds them across
 * organizations (SD_DB_SYS_UPLOADS_EXPIRED), deletes each in its own
 * organization's transaction the way tus termination does
 * (sd_api_upload_delete_db: the upload, its video, the asset when that was
 * its last video, the reserved quota), then removes the files. */
#define G_LOG_DOMAIN "sd-sweeper"

#include "jobs/sd-sweeper.h"

#include "api/sd-api-media-common.h"
#include "sd-server.h"
#include "storage/sd-storage.h"

#define BATCH 100

struct _SdSweeper {
  SdServer *server;
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean stopping;
};

SdSweeper *
sd_sweeper_new (SdServer *server)
{
  SdSweeper *sweeper = g_new0 (SdSweeper, 1);
  sweeper->server = server;
  g_mutex_init (&sweeper->lock);
  g_cond_init (&sweeper->cond);
  return sweeper;
}

/* Deletes one expired upload; FALSE when the database failed. */
static gboolean
sweep_one (SdSweeper   *sweeper,
           SdDbConn    *conn,
           const char  *org_id,
           const char  *upload_id,
           gint64       now,
           gboolean    *deleted)
{
  g_autoptr(GError) error = NULL;
  g_auto(SdApiMediaFiles) files = { 0 };

  sd_api_media_files_init (&files);
  *deleted = FALSE;
  if (!sd_db_begin (conn, SD_DB_TX_WRITE, org_id, &error))
    goto fail;
  /* Checked again inside: it may have been finished or deleted meanwhile. */
  *deleted = sd_api_upload_delete_db (conn, org_id, upload_id, now, &files, &error);
  if (error != NULL || !sd_db_commit (conn, &error))
    {
      *deleted = FALSE;
      goto fail;
    }
  if (*deleted)
    sd_api_media_files_remove_from (sd_server_get_storage (sweeper->server), &files);
  return TRUE;

fail:
  sd_db_rollback (conn);
  g_warning ("cannot delete expired upload %s: %s", upload_id, error->message);
  return FALSE;
}

guint
sd_sweeper_run_once (SdSweeper *sweeper,
                     SdDbConn  *conn)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint count = 0;

  g_autoptr(SdDbRows) rows = sd_db_sys (conn, &error, SD_DB_SYS_UPLOADS_EXPIRED, "ii", now, (gint64) BATCH);
  if (rows == NULL)
    {
      g_warning ("cannot look for expired uploads: %s", error->message);
      return 0;
    }
  for (guint i = 0; i < sd_db_rows_n (rows); i++)
    {
      gboolean deleted = FALSE;
      if (!sweep_one (sweeper, conn, sd_db_rows_text (rows, i, "org_id"),
                      sd_db_rows_text (rows, i, "id"), now, &deleted))
        break;
      count += deleted;
    }
  if (count > 0)
    g_message ("deleted %u expired upload%s", count, count == 1 ? "" : "s");
  return count;
}

static gpointer
sweeper_main (gpointer data)
{
  SdSweeper *sweeper = data;
  gint64 interval = sd_server_get_config (sweeper->server)->upload_sweep_interval_s;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = sd_db_connect (sd_server_get_db (sweeper->server), &error);
  if (conn == NULL)
    {
      g_warning ("the upload sweeper has no database: %s", error->message);
      return NULL;
    }

  g_mutex_lock (&sweeper->lock);
  while (!sweeper->stopping)
    {
      g_mutex_unlock (&sweeper->lock);
      /* A full batch may mean more are waiting. */
      while (sd_sweeper_run_once (sweeper, conn) == BATCH)
        ;
      g_mutex_lock (&sweeper->lock);
      gint64 until = g_get_monotonic_time () + MAX (interval, 1) * G_USEC_PER_SEC;
      while (!sweeper->stopping && g_cond_wait_until (&sweeper->cond, &sweeper->lock, until))
        ;
    }
  g_mutex_unlock (&sweeper->lock);
  return NULL;
}

gboolean
sd_sweeper_start (SdSweeper  *sweeper,
                  GError    **error)
{
  g_return_val_if_fail (sweeper->thread == NULL, FALSE);
  sweeper->stopping = FALSE;
  sweeper->thread = g_thread_try_new ("sd-sweeper", sweeper_main, sweeper, error);
  return sweeper->thread != NULL;
}

void
sd_sweeper_stop (SdSweeper *sweeper)
{
  if (sweeper == NULL || sweeper->thread == NULL)
    return;
  g_mutex_lock (&sweeper->lock);
  sweeper->stopping = TRUE;
  g_cond_signal (&sweeper->cond);
  g_mutex_unlock (&sweeper->lock);
  g_thread_join (sweeper->thread);
  sweeper->thread = NULL;
}

void
sd_sweeper_free (SdSweeper *sweeper)
{
  if (sweeper == NULL)
    return;
  sd_sweeper_stop (sweeper);
  g_mutex_clear (&sweeper->lock);
  g_cond_clear (&sweeper->cond);
  g_free (sweeper);
}
