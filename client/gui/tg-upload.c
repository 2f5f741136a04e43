/* tg-upload.c — the steps of one upload as a chain of async callbacks,
 * each holding a reference on the upload (see tg-upload.h). */
#define G_LOG_DOMAIN "tg-upload"

#include "tg-upload.h"

#include "tandem-error.h"
#include "tc-tus.h"
#include "tg-upload-file.h"
#include "tg-util.h"

#include <glib/gi18n.h>

/* How often the asset is asked for while the server checks the videos. */
#define POLL_INTERVAL_MS 500

struct _TgUpload
{
  GObject parent_instance;

  TgSession *session;
  TcUploadState *record;      /* NULL while preparing a new upload */
  char **paths;               /* a new upload's files, until the record exists */
  char *name;
  char *group_id;
  char *group_name;
  char *description;
  guint64 rate_limit;

  GListStore *files;          /* TgUploadFile */
  TgUploadPhase phase;
  char *status;
  double fraction;
  gboolean can_retry;
  gboolean resumed;

  GCancellable *cancellable;  /* of the current run */
  TcTusClient *tus;
  guint current;              /* the file being sent */
  guint64 total;
  guint64 base;               /* bytes of the files before the current one */
  guint poll_id;
};

G_DEFINE_FINAL_TYPE (TgUpload, tg_upload, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PHASE,
  PROP_STATUS,
  PROP_FRACTION,
  PROP_ASSET_ID,
  PROP_CAN_RETRY,
  N_PROPS
};

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void send_next (TgUpload *self);
static void check (TgUpload *self);

/* ---- state ---- */

static void
set_status (TgUpload   *self,
            const char *status)
{
  if (g_strcmp0 (self->status, status) == 0)
    return;
  g_free (self->status);
  self->status = g_strdup (status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
set_phase (TgUpload      *self,
           TgUploadPhase  phase,
           const char    *status)
{
  set_status (self, status);
  if (self->phase != phase)
    {
      self->phase = phase;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
    }
  if (phase == TG_UPLOAD_DONE || phase == TG_UPLOAD_FAILED || phase == TG_UPLOAD_CANCELLED)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
set_fraction (TgUpload *self,
              double    fraction)
{
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction == self->fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
set_can_retry (TgUpload *self,
               gboolean  can_retry)
{
  if (self->can_retry == can_retry)
    return;
  self->can_retry = can_retry;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RETRY]);
}

static TgUploadFile *
file_item (TgUpload *self,
           guint     i)
{
  g_autoptr(TgUploadFile) item = g_list_model_get_item (G_LIST_MODEL (self->files), i);
  return item;   /* the store keeps it alive */
}

/* ---- the record, on a worker thread ---- */

typedef enum { RECORD_SAVE, RECORD_REMOVE } RecordOp;

typedef struct {
  TcUploadState *record;   /* borrowed: the upload does not touch it meanwhile */
  RecordOp op;
} RecordJob;

static void
record_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  RecordJob *job = data;
  GError *error = NULL;
  gboolean ok = job->op == RECORD_SAVE ? tc_upload_state_save (job->record, &error)
                                       : tc_upload_state_remove (job->record, &error);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Saves or removes the record, then calls @next (also when that failed:
 * the upload goes on; only resuming would suffer). */
static void
record_async (TgUpload            *self,
              RecordOp             op,
              GAsyncReadyCallback  next)
{
  GTask *task = g_task_new (self, NULL, next, NULL);
  RecordJob *job = g_new0 (RecordJob, 1);
  job->record = self->record;
  job->op = op;
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, record_thread);
  g_object_unref (task);
}

static void
record_finish (GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_message ("cannot keep the upload's resume record: %s", error->message);
}

/* ---- failing ---- */

/* Errors after which resuming cannot help: the server refused or lost the
 * upload, or a file changed. */
static gboolean
is_final (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    return TRUE;
  if (error->domain != TANDEM_ERROR)
    return FALSE;
  return error->code != TANDEM_ERROR_NETWORK && error->code != TANDEM_ERROR_UNAVAILABLE &&
         error->code != TANDEM_ERROR_INTERNAL && error->code != TANDEM_ERROR_UNAUTHORIZED &&
         error->code != TANDEM_ERROR_RATE_LIMITED;
}

static void
removed_after_failure_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  record_finish (result);
}

static void
fail (TgUpload     *self,
      const GError *error)
{
  if (tg_error_is_cancelled (error))
    return;   /* cancel/pause set the phase themselves */
  g_autofree char *sentence = tg_error_sentence (error, _("The upload failed"));
  gboolean final = is_final (error);
  if (final && self->record != NULL)
    record_async (self, RECORD_REMOVE, removed_after_failure_cb);
  set_can_retry (self, !final && self->record != NULL);
  set_phase (self, TG_UPLOAD_FAILED, sentence);
}

/* ---- done ---- */

static void
removed_when_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  TgUpload *self = TG_UPLOAD (source);
  record_finish (result);
  set_fraction (self, 1.0);
  set_phase (self, TG_UPLOAD_DONE, _("Uploaded and ready for review"));
}

static void
completed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TgUpload) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (reply == NULL)
    {
      fail (self, error);
      return;
    }
  record_async (self, RECORD_REMOVE, removed_when_done_cb);
}

/* ---- checking ---- */

static gboolean
poll_cb (gpointer user_data)
{
  TgUpload *self = user_data;
  self->poll_id = 0;
  check (self);
  return G_SOURCE_REMOVE;
}

/* One sentence naming the videos the server refused, or NULL. */
static char *
refused_videos (JsonArray *videos)
{
  g_autoptr(GString) text = NULL;
  for (guint i = 0; videos != NULL && i < json_array_get_length (videos); i++)
    {
      JsonObject *video = tg_json_object (json_array_get_element (videos, i));
      if (g_strcmp0 (tg_json_string (video, "status"), "failed") != 0)
        continue;
      const char *why = tg_json_string (tg_json_member_object (video, "error"), "message");
      if (text == NULL)
        text = g_string_new (NULL);
      else
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s: %s", tg_json_string (video, "filename"),
                              why != NULL ? why : _("the server cannot use this file"));
    }
  return text != NULL ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgUpload) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *asset = tg_json_object (reply);

  if (asset == NULL)
    {
      fail (self, error);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  JsonArray *videos = tg_json_member_array (asset, "videos");
  gboolean busy = FALSE;
  for (guint i = 0; videos != NULL && i < json_array_get_length (videos); i++)
    {
      const char *status = tg_json_string (tg_json_object (json_array_get_element (videos, i)), "status");
      if (g_strcmp0 (status, "waiting_upload") == 0 || g_strcmp0 (status, "processing") == 0)
        busy = TRUE;
    }
  if (busy)
    {
      self->poll_id = g_timeout_add (POLL_INTERVAL_MS, poll_cb, self);
      return;
    }

  g_autofree char *refused = refused_videos (videos);
  if (refused != NULL)
    {
      g_autoptr(GError) refusal = g_error_new (TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                                               _("The server refused %s"), refused);
      fail (self, refusal);
      return;
    }
  if (g_strcmp0 (tg_json_string (asset, "status"), "waiting_upload") == 0)
    {
      g_autofree char *path = g_strdup_printf ("/assets/%s/complete", self->record->asset_id);
      tg_session_call_async (self->session, "POST", path, NULL, self->cancellable, completed_cb,
                             g_object_ref (self));
      return;
    }
  record_async (self, RECORD_REMOVE, removed_when_done_cb);
}

static void
check (TgUpload *self)
{
  g_autofree char *path = g_strdup_printf ("/assets/%s", self->record->asset_id);
  tg_session_call_async (self->session, "GET", path, NULL, self->cancellable, checked_cb, g_object_ref (self));
}

/* ---- sending ---- */

static void
progress_cb (const TcTusProgress *p,
             gpointer             user_data)
{
  TgUpload *self = user_data;
  TgUploadFile *item = file_item (self, self->current);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (p->length > 0)
    tg_upload_file_set_fraction (item, (double) p->offset / (double) p->length);
  if (self->total > 0)
    set_fraction (self, (double) (self->base + p->offset) / (double) self->total);
  if (p->retry > 0)
    {
      g_autofree char *text = g_strdup_printf (_("The connection stalled; trying again (%u)…"), p->retry);
      set_status (self, text);
    }
  else if (p->eta_seconds >= 0)
    {
      g_autofree char *rate = g_format_size ((guint64) p->rate);
      g_autofree char *text = NULL;
      if (p->eta_seconds < 60)
        text = g_strdup_printf (_("Sending %s at %s/s, less than a minute left"),
                                tg_upload_file_get_name (item), rate);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sending %s at %s/s, about %u minute left",
                                             "Sending %s at %s/s, about %u minutes left",
                                             (gulong) ((p->eta_seconds + 59) / 60)),
                                tg_upload_file_get_name (item), rate, (guint) ((p->eta_seconds + 59) / 60));
      set_status (self, text);
    }
}

static void
saved_after_file_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TgUpload *self = TG_UPLOAD (source);
  record_finish (result);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  send_next (self);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TgUpload) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_tus_client_upload_file_finish (TC_TUS_CLIENT (source), result, &error))
    {
      fail (self, error);
      return;
    }
  TcUploadFile *file = g_ptr_array_index (self->record->files, self->current);
  file->sent = TRUE;
  tg_upload_file_set_fraction (file_item (self, self->current), 1.0);
  self->base += file->size;
  self->current++;
  record_async (self, RECORD_SAVE, saved_after_file_cb);
}

static void
send_next (TgUpload *self)
{
  while (self->current < self->record->files->len &&
         ((TcUploadFile *) g_ptr_array_index (self->record->files, self->current))->sent)
    {
      TcUploadFile *file = g_ptr_array_index (self->record->files, self->current);
      tg_upload_file_set_fraction (file_item (self, self->current), 1.0);
      self->base += file->size;
      self->current++;
    }
  set_fraction (self, self->total > 0 ? (double) self->base / (double) self->total : 1.0);

  if (self->current == self->record->files->len)
    {
      set_phase (self, TG_UPLOAD_CHECKING, _("The server is checking the videos…"));
      check (self);
      return;
    }

  TcUploadFile *file = g_ptr_array_index (self->record->files, self->current);
  g_autoptr(GError) error = NULL;
  /* A resumed file must be the one that was partly sent (a stat, quick). */
  if (self->resumed && !tc_upload_file_unchanged (file, &error))
    {
      fail (self, error);
      return;
    }
  g_autofree char *text = g_strdup_printf (_("Sending %s…"), tg_upload_file_get_name (file_item (self, self->current)));
  set_phase (self, TG_UPLOAD_SENDING, text);
  tc_tus_client_upload_file_async (self->tus, file->upload_url, file->path, progress_cb, g_object_ref (self),
                                   g_object_unref, self->cancellable, sent_cb, g_object_ref (self));
}

/* ---- preparing ---- */

static void
saved_after_create_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TgUpload *self = TG_UPLOAD (source);
  record_finish (result);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSET_ID]);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  send_next (self);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgUpload) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *o = tg_json_object (reply);

  if (o == NULL)
    {
      fail (self, error);
      return;
    }
  const char *asset_id = tg_json_string (tg_json_member_object (o, "asset"), "id");
  JsonArray *videos = tg_json_member_array (o, "videos");
  if (asset_id == NULL || videos == NULL || json_array_get_length (videos) != self->record->files->len)
    {
      g_autoptr(GError) bad = g_error_new_literal (TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                                                   _("The server did not make one upload per file"));
      fail (self, bad);
      return;
    }
  for (guint i = 0; i < self->record->files->len; i++)
    {
      TcUploadFile *file = g_ptr_array_index (self->record->files, i);
      JsonObject *video = tg_json_object (json_array_get_element (videos, i));
      if (tg_json_string (video, "upload_url") == NULL)
        {
          g_autoptr(GError) bad = g_error_new_literal (TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                                                       _("The server did not make one upload per file"));
          fail (self, bad);
          return;
        }
      file->video_id = g_strdup (tg_json_string (video, "id"));
      file->upload_url = g_strdup (tg_json_string (video, "upload_url"));
    }
  self->record->asset_id = g_strdup (asset_id);
  record_async (self, RECORD_SAVE, saved_after_create_cb);
}

static void
create_asset (TgUpload *self)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *files = json_array_new ();

  json_object_set_string_member (body, "name", self->record->name);
  json_object_set_string_member (body, "description",
                                 self->record->description != NULL ? self->record->description : "");
  json_object_set_string_member (body, "group_id", self->record->group_id);
  for (guint i = 0; i < self->record->files->len; i++)
    {
      TcUploadFile *file = g_ptr_array_index (self->record->files, i);
      JsonObject *f = json_object_new ();
      json_object_set_string_member (f, "filename", tg_upload_file_get_name (file_item (self, i)));
      json_object_set_int_member (f, "size", (gint64) file->size);
      json_array_add_object_element (files, f);
    }
  json_object_set_array_member (body, "files", files);
  tg_session_call_async (self->session, "POST", "/assets", body, self->cancellable, created_cb, g_object_ref (self));
}

/* Fills the file list from the record. */
static void
show_files (TgUpload *self)
{
  g_list_store_remove_all (self->files);
  self->total = 0;
  for (guint i = 0; i < self->record->files->len; i++)
    {
      TcUploadFile *file = g_ptr_array_index (self->record->files, i);
      g_autofree char *name = g_filename_display_basename (file->path);
      g_autoptr(TgUploadFile) item = tg_upload_file_new (name, file->size);
      g_list_store_append (self->files, item);
      self->total += file->size;
    }
}

static void
record_made_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TgUpload *self = TG_UPLOAD (source);
  GError *error = NULL;
  TcUploadState *record = g_task_propagate_pointer (G_TASK (result), &error);

  if (record == NULL)
    {
      g_autoptr(GError) owned = error;
      fail (self, owned);
      return;
    }
  record->group_id = g_strdup (self->group_id);
  record->name = g_strdup (self->name);
  record->description = g_strdup (self->description);
  self->record = record;
  g_clear_pointer (&self->paths, g_strfreev);
  show_files (self);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  create_asset (self);
}

static void
make_record_thread (GTask        *task,
                    gpointer      source,
                    gpointer      data,
                    GCancellable *cancellable)
{
  TgUpload *self = source;
  const char *server = data;
  GError *error = NULL;
  TcUploadState *record = tc_upload_state_new (server, (const char * const *) self->paths, &error);
  if (record == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, record, (GDestroyNotify) tc_upload_state_free);
}

/* ---- control ---- */

void
tg_upload_start (TgUpload *self)
{
  g_return_if_fail (TG_IS_UPLOAD (self));
  if (tg_upload_is_active (self) && self->cancellable != NULL)
    return;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_can_retry (self, FALSE);
  g_clear_object (&self->tus);
  self->tus = tc_tus_client_new (tg_session_get_client (self->session));
  tc_tus_client_set_rate_limit (self->tus, self->rate_limit);
  self->current = 0;
  self->base = 0;

  if (self->record == NULL)
    {
      set_phase (self, TG_UPLOAD_PREPARING, _("Preparing…"));
      GTask *task = g_task_new (self, NULL, record_made_cb, NULL);
      g_task_set_task_data (task, g_strdup (tg_session_get_server (self->session)), g_free);
      g_task_run_in_thread (task, make_record_thread);
      g_object_unref (task);
      return;
    }
  if (self->record->asset_id == NULL)
    {
      set_phase (self, TG_UPLOAD_PREPARING, _("Preparing…"));
      create_asset (self);
      return;
    }
  send_next (self);
}

static void
stop (TgUpload *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  if (reply == NULL && !g_error_matches (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
    g_message ("cannot delete the cancelled upload's asset: %s", error->message);
}

static void
removed_when_cancelled_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  record_finish (result);
}

void
tg_upload_cancel (TgUpload *self)
{
  g_return_if_fail (TG_IS_UPLOAD (self));
  if (self->phase == TG_UPLOAD_DONE || self->phase == TG_UPLOAD_CANCELLED)
    return;

  stop (self);
  if (self->record != NULL && self->record->asset_id != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/assets/%s", self->record->asset_id);
      tg_session_call_async (self->session, "DELETE", path, NULL, NULL, deleted_cb, NULL);
    }
  if (self->record != NULL)
    record_async (self, RECORD_REMOVE, removed_when_cancelled_cb);
  set_can_retry (self, FALSE);
  set_phase (self, TG_UPLOAD_CANCELLED, _("Cancelled"));
}

void
tg_upload_pause (TgUpload *self)
{
  g_return_if_fail (TG_IS_UPLOAD (self));
  if (!tg_upload_is_active (self))
    return;
  stop (self);
  set_phase (self, TG_UPLOAD_PAUSED, _("Paused; it carries on when Tandem starts again"));
}

/* ---- accessors ---- */

void
tg_upload_set_rate_limit (TgUpload *self,
                          guint64   bytes_per_second)
{
  g_return_if_fail (TG_IS_UPLOAD (self));
  self->rate_limit = bytes_per_second;
}

const char *
tg_upload_get_name (TgUpload *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD (self), NULL);
  return self->name;
}

const char *
tg_upload_get_group_id (TgUpload *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD (self), NULL);
  return self->group_id;
}

const char *
tg_upload_get_asset_id (TgUpload *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD (self), NULL);
  return self->record != NULL ? self->record->asset_id : NULL;
}

const char *
tg_upload_get_record_id (TgUpload *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD (self), NULL);
  return self->record != NULL ? self->record->id : NULL;
}

TgUploadPhase
tg_upload_get_phase (TgUpload *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD (self), TG_UPLOAD_FAILED);
  return self->phase;
}

const char *
tg_upload_get_status (TgUpload *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD (self), NULL);
  return self->status;
}

double
tg_upload_get_fraction (TgUpload *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD (self), 0);
  return self->fraction;
}

GListModel *
tg_upload_get_files (TgUpload *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD (self), NULL);
  return G_LIST_MODEL (self->files);
}

gboolean
tg_upload_get_can_retry (TgUpload *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD (self), FALSE);
  return self->can_retry;
}

gboolean
tg_upload_is_active (TgUpload *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD (self), FALSE);
  return self->phase == TG_UPLOAD_PREPARING || self->phase == TG_UPLOAD_SENDING ||
         self->phase == TG_UPLOAD_CHECKING;
}

/* ---- object ---- */

TgUpload *
tg_upload_new (TgSession          *session,
               const char         *group_id,
               const char         *group_name,
               const char         *name,
               const char         *description,
               const char * const *paths)
{
  g_return_val_if_fail (TG_IS_SESSION (session), NULL);
  g_return_val_if_fail (paths != NULL && paths[0] != NULL, NULL);

  TgUpload *self = g_object_new (TG_TYPE_UPLOAD, NULL);
  self->session = g_object_ref (session);
  self->group_id = g_strdup (group_id);
  self->group_name = g_strdup (group_name);
  self->name = g_strdup (name);
  self->description = g_strdup (description);
  self->paths = g_strdupv ((char **) paths);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *base = g_filename_display_basename (paths[i]);
      g_autoptr(TgUploadFile) item = tg_upload_file_new (base, 0);
      g_list_store_append (self->files, item);
    }
  return self;
}

TgUpload *
tg_upload_new_resumed (TgSession     *session,
                       TcUploadState *record)
{
  g_return_val_if_fail (TG_IS_SESSION (session), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  TgUpload *self = g_object_new (TG_TYPE_UPLOAD, NULL);
  self->session = g_object_ref (session);
  self->record = record;
  self->resumed = TRUE;
  self->group_id = g_strdup (record->group_id);
  self->name = g_strdup (record->name);
  self->description = g_strdup (record->description);
  show_files (self);
  set_phase (self, TG_UPLOAD_PAUSED, _("Waiting to carry on…"));
  return self;
}

static void
tg_upload_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TgUpload *self = TG_UPLOAD (object);

  switch (prop_id)
    {
    case PROP_PHASE:
      g_value_set_int (value, self->phase);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_ASSET_ID:
      g_value_set_string (value, tg_upload_get_asset_id (self));
      break;
    case PROP_CAN_RETRY:
      g_value_set_boolean (value, self->can_retry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_upload_dispose (GObject *object)
{
  TgUpload *self = TG_UPLOAD (object);

  stop (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->tus);

  G_OBJECT_CLASS (tg_upload_parent_class)->dispose (object);
}

static void
tg_upload_finalize (GObject *object)
{
  TgUpload *self = TG_UPLOAD (object);

  g_clear_pointer (&self->record, tc_upload_state_free);
  g_clear_pointer (&self->paths, g_strfreev);
  g_free (self->name);
  g_free (self->group_id);
  g_free (self->group_name);
  g_free (self->description);
  g_free (self->status);
  g_clear_object (&self->files);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tg_upload_parent_class)->finalize (object);
}

static void
tg_upload_class_init (TgUploadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tg_upload_dispose;
  object_class->finalize = tg_upload_finalize;
  object_class->get_property = tg_upload_get_property;

  properties[PROP_PHASE] = g_param_spec_int ("phase", NULL, NULL, TG_UPLOAD_PREPARING, TG_UPLOAD_PAUSED,
                                             TG_UPLOAD_PREPARING,
                                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS);
  properties[PROP_ASSET_ID] = g_param_spec_string ("asset-id", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_RETRY] = g_param_spec_boolean ("can-retry", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Done, failed or cancelled. */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tg_upload_init (TgUpload *self)
{
  self->files = g_list_store_new (TG_TYPE_UPLOAD_FILE);
  self->phase = TG_UPLOAD_PREPARING;
}
