/* sd-media-jobs.c — the media worker thread (see sd-media-jobs.h): claim,
 * probe, thumbnail, strip, transcode when needed, store, record.  Each
 * video's database writes run in a transaction of its own organization;
 * only the claim crosses organizations. */
#define G_LOG_DOMAIN "sd-media-jobs"

#include "jobs/sd-media-jobs.h"
#include "api/sd-api-media-common.h"
#include "media/sd-media.h"
#include "media/sd-media-image.h"
#include "media/sd-media-playback.h"
#include "media/sd-media-probe.h"
#include "media/sd-media-strip.h"
#include "media/sd-media-thumbnail.h"
#include "media/sd-media-transcode.h"
#include "sd-server.h"
#include "storage/sd-storage.h"
#include "store/sd-db.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define POLL_INTERVAL_US   (1 * G_USEC_PER_SEC)
#define RENEW_EVERY_S      30
#define PROBE_TIMEOUT_MS   60000    /* plus 30 s per GiB */
#define FRAME_TIMEOUT_MS   30000
#define STRIP_MIN_INTERVAL_MS 500
#define RETRY_BASE_S       10

struct _SdMediaJobs {
  SdServer *server;
  char *tmp_dir;             /* DATA_DIR/tmp: transcodes before they are stored */
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean kicked;
  gboolean stopping;
  GCancellable *cancellable; /* cancelled by stop */
};

/* One claimed video. */
typedef struct {
  SdMediaJobs *jobs;
  SdDbConn *conn;
  char *id;
  char *org_id;
  char *source_key;
  gint64 size;               /* bytes of the upload */
  gint64 attempts;
  gint64 renewed_at;
  char *prefix;              /* ORG/videos/ID */
} Job;

/* What the work made, for the 'ready' row. */
typedef struct {
  SdMediaInfo *info;
  char *thumbnail_key;
  char *strip_key;
  int strip_frames;
  gint64 strip_interval_ms;
  char *playback_key;
  char *playback_type;
  gint64 derived_bytes;
} Outputs;

static void
job_clear (Job *job)
{
  g_free (job->id);
  g_free (job->org_id);
  g_free (job->source_key);
  g_free (job->prefix);
}

static void
outputs_clear (Outputs *out)
{
  g_clear_pointer (&out->info, sd_media_info_free);
  g_free (out->thumbnail_key);
  g_free (out->strip_key);
  g_free (out->playback_key);
  g_free (out->playback_type);
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

SdMediaJobs *
sd_media_jobs_new (SdServer  *server,
                   GError   **error)
{
  const SdConfig *config = sd_server_get_config (server);
  g_autofree char *tmp_dir = g_build_filename (config->data_dir, "tmp", NULL);
  if (g_mkdir_with_parents (tmp_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot create %s: %s",
                   tmp_dir, g_strerror (errno));
      return NULL;
    }
  SdMediaJobs *jobs = g_new0 (SdMediaJobs, 1);
  jobs->server = server;
  jobs->tmp_dir = g_steal_pointer (&tmp_dir);
  jobs->cancellable = g_cancellable_new ();
  g_mutex_init (&jobs->lock);
  g_cond_init (&jobs->cond);
  return jobs;
}

static gboolean
stopping (SdMediaJobs *jobs)
{
  g_mutex_lock (&jobs->lock);
  gboolean s = jobs->stopping;
  g_mutex_unlock (&jobs->lock);
  return s;
}

/* ---- database writes, each in a transaction of the video's organization ---- */

static gboolean
update_video (Job         *job,
              GError     **error,
              const char  *set_sql,
              const char  *fmt,
              ...)
{
  if (!sd_db_begin (job->conn, SD_DB_TX_WRITE, job->org_id, error))
    return FALSE;
  g_autofree char *sql = g_strconcat ("UPDATE videos SET ", set_sql,
                                      " WHERE id = $1 AND org_id = $2 AND status = 'processing'", NULL);
  va_list args;
  va_start (args, fmt);
  g_autoptr(SdDbRows) rows = sd_db_query_va (job->conn, error, sql, fmt, args);
  va_end (args);
  if (rows == NULL || !sd_db_commit (job->conn, error))
    {
      sd_db_rollback (job->conn);
      return FALSE;
    }
  return TRUE;
}

/* Keeps the claim while long work runs. */
static void
renew_lease (Job *job)
{
  gint64 now = now_s ();
  if (now - job->renewed_at < RENEW_EVERY_S)
    return;
  g_autoptr(GError) error = NULL;
  if (!update_video (job, &error, "lease_until = $3", "ssi", job->id, job->org_id,
                     now + SD_MEDIA_JOBS_LEASE_S))
    g_warning ("cannot renew the lease on video %s: %s", job->id, error->message);
  else
    job->renewed_at = now;
}

/* Marks the video failed (error_code, error_message) and, in the same
 * transaction, lets go of everything it holds in storage: its upload, its
 * original and any derived file are deleted and their bytes released from
 * the organization's storage_used (sd_api_video_drop_files_db); the files
 * go after commit.  The row stays, so that its owner sees why.  Returns
 * FALSE with @error set when the database refused; TRUE also when the
 * video left 'processing' meanwhile (deleted), with nothing done. */
static gboolean
fail_video (Job         *job,
            const char  *code,
            const char  *message,
            GError     **error)
{
  SdDbConn *conn = job->conn;
  g_auto(SdApiMediaFiles) files = { 0 };
  sd_api_media_files_init (&files);

  if (!sd_db_begin (conn, SD_DB_TX_WRITE, job->org_id, error))
    return FALSE;
  gint64 n = sd_db_exec (conn, error,
                         "UPDATE videos SET status = 'failed', error_code = $3, error_message = $4,"
                         " lease_until = NULL, updated_at = $5"
                         " WHERE id = $1 AND org_id = $2 AND status = 'processing'",
                         "ssssi", job->id, job->org_id, code, message, now_s ());
  if (n < 0)
    goto fail;
  if (n == 0)
    {
      sd_db_rollback (conn);
      return TRUE;
    }
  if (!sd_api_video_drop_files_db (conn, job->org_id, job->id, &files, error) ||
      !sd_db_commit (conn, error))
    goto fail;
  sd_api_media_files_remove_from (sd_server_get_storage (job->jobs->server), &files);
  g_message ("video %s failed: %s (%s); its files are deleted", job->id, code, message);
  return TRUE;

fail:
  sd_db_rollback (conn);
  return FALSE;
}

static void
record_failure (Job        *job,
                const char *code,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  if (!fail_video (job, code, message, &error))
    g_warning ("cannot mark video %s failed: %s", job->id, error->message);
}

static void
record_retry (Job    *job,
              gint64  delay_s)
{
  g_autoptr(GError) error = NULL;
  if (!update_video (job, &error, "lease_until = $3", "ssi", job->id, job->org_id, now_s () + delay_s))
    g_warning ("cannot schedule video %s again: %s", job->id, error->message);
}

/* Gives the video back untouched (shutdown): the attempt does not count. */
static void
record_release (Job *job)
{
  g_autoptr(GError) error = NULL;
  if (!update_video (job, &error,
                     "lease_until = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END",
                     "ss", job->id, job->org_id))
    g_warning ("cannot release video %s: %s", job->id, error->message);
}

/* Marks the video ready and counts the derived bytes.  Sets *@gone when
 * the video is no longer waiting (deleted meanwhile). */
static gboolean
record_ready (Job            *job,
              const Outputs  *out,
              gboolean       *gone,
              GError        **error)
{
  const SdMediaInfo *info = out->info;
  SdDbConn *conn = job->conn;
  gint64 now = now_s ();

  *gone = FALSE;
  if (!sd_db_begin (conn, SD_DB_TX_WRITE, job->org_id, error))
    return FALSE;
  g_autoptr(SdDbRows) rows = sd_db_query (conn, error,
    "SELECT derived_bytes FROM videos WHERE id = $1 AND org_id = $2 AND status = 'processing'",
    "ss", job->id, job->org_id);
  if (rows == NULL)
    goto fail;
  if (sd_db_rows_n (rows) != 1)
    {
      *gone = TRUE;
      sd_db_rollback (conn);
      return TRUE;
    }
  gint64 old_bytes = sd_db_rows_int (rows, 0, "derived_bytes");
  if (sd_db_exec (conn, error,
                  "UPDATE videos SET status = 'ready', error_code = NULL, error_message = NULL,"
                  " duration_ms = $3, width = $4, height = $5, fps_num = $6, fps_den = $7,"
                  " container = $8, video_codec = $9, audio_codec = $10,"
                  " thumbnail_key = $11, strip_key = $12, strip_frames = $13, strip_interval_ms = $14,"
                  " playback_key = $15, playback_type = $16, derived_bytes = $17,"
                  " lease_until = NULL, updated_at = $18"
                  " WHERE id = $1 AND org_id = $2",
                  "ssiiiiisssssiissii", job->id, job->org_id,
                  info->duration_ms, (gint64) info->width, (gint64) info->height,
                  (gint64) info->fps_num, (gint64) info->fps_den,
                  info->container, info->video_codec, info->audio_codec,
                  out->thumbnail_key, out->strip_key, (gint64) out->strip_frames, out->strip_interval_ms,
                  out->playback_key, out->playback_type, out->derived_bytes, now) < 0 ||
      sd_db_exec (conn, error,
                  "UPDATE organizations SET storage_used = storage_used + $2 WHERE id = $1",
                  "si", job->org_id, out->derived_bytes - old_bytes) < 0 ||
      !sd_db_commit (conn, error))
    goto fail;
  return TRUE;

fail:
  sd_db_rollback (conn);
  return FALSE;
}

/* ---- the work ---- */

static gboolean
store_bytes (SdStorage   *storage,
             const char  *key,
             GBytes      *bytes,
             Outputs     *out,
             GError     **error)
{
  if (!sd_storage_put (storage, key, bytes, error))
    return FALSE;
  out->derived_bytes += (gint64) g_bytes_get_size (bytes);
  return TRUE;
}

static gboolean
transcode_progress (double   fraction,
                    gpointer data)
{
  Job *job = data;
  renew_lease (job);
  return !stopping (job->jobs);
}

/* Makes the transcode and stores it; sets out->playback_*. */
static gboolean
make_transcode (Job          *job,
                SdStorage    *storage,
                const char   *path,
                Outputs      *out,
                GError      **error)
{
  const SdMediaTarget *target = sd_media_transcode_target (NULL);
  if (target == NULL)
    {
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNSUPPORTED,
                           _("This video cannot be played here and the server has no encoder to convert it."));
      return FALSE;
    }
  g_autofree char *name = g_strdup_printf ("%s-XXXXXX.%s", job->id, target->extension);
  g_autofree char *tmp = g_build_filename (job->jobs->tmp_dir, name, NULL);
  int fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot make a temporary file: %s",
                   g_strerror (errno));
      return FALSE;
    }
  close (fd);

  guint timeout_ms = (guint) MIN ((gint64) G_MAXUINT32, 120000 + 10 * out->info->duration_ms);
  gboolean ok = sd_media_transcode (path, tmp, out->info, target, SD_MEDIA_TRANSCODE_MAX_WIDTH,
                                    SD_MEDIA_TRANSCODE_MAX_HEIGHT, timeout_ms, job->jobs->cancellable,
                                    transcode_progress, job, error);
  if (ok)
    {
      /* What was made must be what was promised. */
      g_autoptr(SdMediaInfo) check = sd_media_probe (tmp, PROBE_TIMEOUT_MS, error);
      ok = check != NULL;
    }
  GStatBuf st;
  if (ok && g_stat (tmp, &st) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "transcode vanished: %s",
                   g_strerror (errno));
      ok = FALSE;
    }
  g_autofree char *key = g_strdup_printf ("%s/playback.%s", job->prefix, target->extension);
  if (ok && !sd_storage_put_file (storage, key, tmp, error))
    ok = FALSE;
  g_unlink (tmp);   /* moved already, or left over */
  if (!ok)
    return FALSE;
  out->derived_bytes += (gint64) st.st_size;
  out->playback_key = g_steal_pointer (&key);
  out->playback_type = g_strdup (target->mime_type);
  return TRUE;
}

static gboolean
make_outputs (Job          *job,
              const char   *path,
              Outputs      *out,
              GError      **error)
{
  SdStorage *storage = sd_server_get_storage (job->jobs->server);
  const char *ext = sd_media_image_extension ();

  /* The probe reads the whole file once: allow for big ones. */
  gint64 probe_ms = PROBE_TIMEOUT_MS + job->size / (1 << 30) * 30000;
  out->info = sd_media_probe (path, (guint) MIN (probe_ms, (gint64) G_MAXINT32), error);
  if (out->info == NULL)
    return FALSE;
  renew_lease (job);

  int w = 0, h = 0;
  g_autoptr(GBytes) thumb = sd_media_thumbnail (path, out->info, SD_MEDIA_THUMBNAIL_WIDTH,
                                                FRAME_TIMEOUT_MS, &w, &h, error);
  out->thumbnail_key = g_strdup_printf ("%s/thumb.%s", job->prefix, ext);
  if (thumb == NULL || !store_bytes (storage, out->thumbnail_key, thumb, out, error))
    return FALSE;
  renew_lease (job);

  g_autoptr(SdMediaStrip) strip = sd_media_strip (path, out->info, SD_MEDIA_STRIP_TILE_WIDTH,
                                                  SD_MEDIA_STRIP_MAX_FRAMES, STRIP_MIN_INTERVAL_MS,
                                                  FRAME_TIMEOUT_MS, error);
  out->strip_key = g_strdup_printf ("%s/strip.%s", job->prefix, ext);
  if (strip == NULL || !store_bytes (storage, out->strip_key, strip->image, out, error))
    return FALSE;
  out->strip_frames = strip->frames;
  out->strip_interval_ms = strip->interval_ms;
  renew_lease (job);

  g_autofree char *reason = NULL;
  if (sd_media_playback_direct (out->info, &reason))
    {
      out->playback_key = g_strdup (job->source_key);
      out->playback_type = g_strdup (out->info->mime_type);
      return TRUE;
    }
  g_info ("video %s is transcoded: %s", job->id, reason);
  return make_transcode (job, storage, path, out, error);
}

static void
remove_outputs (Job *job)
{
  g_autoptr(GError) error = NULL;
  if (!sd_storage_remove_prefix (sd_server_get_storage (job->jobs->server), job->prefix, &error))
    g_warning ("cannot remove the media files of video %s: %s", job->id, error->message);
}

/* The API's error code and the user's message for a failure. */
static void
describe_failure (const GError  *error,
                  const char   **code,
                  const char   **message)
{
  if (error->domain == SD_MEDIA_ERROR)
    {
      *code = sd_media_error_code_name (error->code);
      *message = error->message;
      return;
    }
  *code = sd_media_error_code_name (SD_MEDIA_ERROR_FAILED);
  *message = _("The video could not be processed; please upload it again.");
}

static void
process (Job *job)
{
  g_autoptr(GError) error = NULL;
  Outputs out = { 0 };
  SdStorage *storage = sd_server_get_storage (job->jobs->server);

  if (job->attempts > SD_MEDIA_JOBS_MAX_ATTEMPTS)
    {
      /* Earlier attempts died without a word (a crash, a kill): stop here. */
      remove_outputs (job);
      record_failure (job, sd_media_error_code_name (SD_MEDIA_ERROR_FAILED),
                      _("The video could not be processed; please upload it again."));
      return;
    }
  if (job->source_key == NULL)
    {
      record_failure (job, sd_media_error_code_name (SD_MEDIA_ERROR_FAILED),
                      _("The video has no uploaded file."));
      return;
    }

  gboolean is_temp = FALSE;
  g_autofree char *path = sd_storage_local_path (storage, job->source_key, &is_temp, &error);
  gboolean ok = path != NULL && make_outputs (job, path, &out, &error);
  if (is_temp && path != NULL)
    g_unlink (path);

  gboolean gone = FALSE;
  if (ok && !record_ready (job, &out, &gone, &error))
    ok = FALSE;
  if (ok)
    {
      if (gone)
        remove_outputs (job);
      else
        g_info ("video %s ready: %" G_GINT64_FORMAT " ms %dx%d %s/%s%s%s, plays as %s", job->id,
                   out.info->duration_ms, out.info->width, out.info->height, out.info->container,
                   out.info->video_codec, out.info->audio_codec != NULL ? "+" : "",
                   out.info->audio_codec != NULL ? out.info->audio_codec : "", out.playback_type);
      outputs_clear (&out);
      return;
    }
  outputs_clear (&out);
  remove_outputs (job);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || stopping (job->jobs))
    {
      record_release (job);
      return;
    }
  const char *code, *message;
  describe_failure (error, &code, &message);
  if (sd_media_error_is_permanent (error) || job->attempts >= SD_MEDIA_JOBS_MAX_ATTEMPTS)
    {
      if (!sd_media_error_is_permanent (error))
        g_warning ("video %s failed %" G_GINT64_FORMAT " times, last: %s", job->id, job->attempts,
                   error->message);
      record_failure (job, code, message);
      return;
    }
  gint64 delay = RETRY_BASE_S << MIN (job->attempts - 1, 8);
  /* Expected now and then (a storage hiccup, a busy machine): not a warning
   * until the last attempt fails. */
  g_message ("video %s, attempt %" G_GINT64_FORMAT ": %s; again in %" G_GINT64_FORMAT " s",
             job->id, job->attempts, error->message, delay);
  record_retry (job, delay);
}

gboolean
sd_media_jobs_run_once (SdMediaJobs *jobs,
                        gpointer     conn_ptr)
{
  SdDbConn *conn = conn_ptr;
  g_autoptr(GError) error = NULL;
  gint64 now = now_s ();

  g_autoptr(SdDbRows) rows = sd_db_sys (conn, &error, SD_DB_SYS_MEDIA_CLAIM, "ii", now,
                                        now + SD_MEDIA_JOBS_LEASE_S);
  if (rows == NULL)
    {
      g_warning ("cannot look for media work: %s", error->message);
      return FALSE;
    }
  if (sd_db_rows_n (rows) == 0)
    return FALSE;

  Job job = {
    .jobs = jobs,
    .conn = conn,
    .id = g_strdup (sd_db_rows_text (rows, 0, "id")),
    .org_id = g_strdup (sd_db_rows_text (rows, 0, "org_id")),
    .source_key = g_strdup (sd_db_rows_text (rows, 0, "source_key")),
    .size = sd_db_rows_int (rows, 0, "size"),
    .attempts = sd_db_rows_int (rows, 0, "attempts"),
    .renewed_at = now,
  };
  job.prefix = g_strdup_printf ("%s/videos/%s", job.org_id, job.id);
  process (&job);
  job_clear (&job);
  return TRUE;
}

static gpointer
jobs_main (gpointer data)
{
  SdMediaJobs *jobs = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = sd_db_connect (sd_server_get_db (jobs->server), &error);
  if (conn == NULL)
    {
      g_critical ("the media worker cannot connect to the database: %s", error->message);
      return NULL;
    }
  sd_media_init ();

  g_mutex_lock (&jobs->lock);
  while (!jobs->stopping)
    {
      jobs->kicked = FALSE;
      g_mutex_unlock (&jobs->lock);
      while (!stopping (jobs) && sd_media_jobs_run_once (jobs, conn))
        ;
      g_mutex_lock (&jobs->lock);
      if (!jobs->kicked && !jobs->stopping)
        g_cond_wait_until (&jobs->cond, &jobs->lock, g_get_monotonic_time () + POLL_INTERVAL_US);
    }
  g_mutex_unlock (&jobs->lock);
  return NULL;
}

gboolean
sd_media_jobs_start (SdMediaJobs  *jobs,
                     GError      **error)
{
  g_return_val_if_fail (jobs->thread == NULL, FALSE);
  jobs->stopping = FALSE;
  g_cancellable_reset (jobs->cancellable);
  jobs->thread = g_thread_try_new ("sd-media-jobs", jobs_main, jobs, error);
  return jobs->thread != NULL;
}

void
sd_media_jobs_kick (SdMediaJobs *jobs)
{
  g_mutex_lock (&jobs->lock);
  jobs->kicked = TRUE;
  g_cond_signal (&jobs->cond);
  g_mutex_unlock (&jobs->lock);
}

void
sd_media_jobs_stop (SdMediaJobs *jobs)
{
  if (jobs->thread == NULL)
    return;
  g_mutex_lock (&jobs->lock);
  jobs->stopping = TRUE;
  g_cond_signal (&jobs->cond);
  g_mutex_unlock (&jobs->lock);
  g_cancellable_cancel (jobs->cancellable);
  g_thread_join (jobs->thread);
  jobs->thread = NULL;
}

void
sd_media_jobs_free (SdMediaJobs *jobs)
{
  if (jobs == NULL)
    return;
  sd_media_jobs_stop (jobs);
  g_object_unref (jobs->cancellable);
  g_mutex_clear (&jobs->lock);
  g_cond_clear (&jobs->cond);
  g_free (jobs->tmp_dir);
  g_free (jobs);
}
