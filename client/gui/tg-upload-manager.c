/* tg-upload-manager.c — the list of uploads, resume records found on a
 * worker thread (see tg-upload-manager.h). */
#define G_LOG_DOMAIN "tg-upload-manager"

#include "tg-upload-manager.h"

#include <glib/gstdio.h>
#include <string.h>

struct _TgUploadManager
{
  GObject parent_instance;

  TgSession *session;
  GSettings *settings;
  GListStore *uploads;    /* TgUpload */
  guint n_active;
};

G_DEFINE_FINAL_TYPE (TgUploadManager, tg_upload_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_ACTIVE,
  N_PROPS
};

enum {
  SIGNAL_CREATED,
  SIGNAL_FINISHED,
  SIGNAL_RESUMED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
count_active (TgUploadManager *self)
{
  guint n = 0;
  guint len = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));
  for (guint i = 0; i < len; i++)
    {
      g_autoptr(TgUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i);
      if (tg_upload_is_active (upload))
        n++;
    }
  if (n == self->n_active)
    return;
  self->n_active = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACTIVE]);
}

static void
phase_cb (TgUpload        *upload,
          GParamSpec      *pspec,
          TgUploadManager *self)
{
  count_active (self);
}

static void
asset_id_cb (TgUpload        *upload,
             GParamSpec      *pspec,
             TgUploadManager *self)
{
  if (tg_upload_get_asset_id (upload) != NULL)
    g_signal_emit (self, signals[SIGNAL_CREATED], 0, upload);
}

static void
finished_cb (TgUpload        *upload,
             TgUploadManager *self)
{
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, upload);
}

static void
add (TgUploadManager *self,
     TgUpload        *upload)
{
  guint64 limit = g_settings_get_uint64 (self->settings, "upload-rate-limit");
  tg_upload_set_rate_limit (upload, limit);
  g_signal_connect_object (upload, "notify::phase", G_CALLBACK (phase_cb), self, 0);
  g_signal_connect_object (upload, "finished", G_CALLBACK (finished_cb), self, 0);
  g_signal_connect_object (upload, "notify::asset-id", G_CALLBACK (asset_id_cb), self, 0);
  g_list_store_append (self->uploads, upload);
  tg_upload_start (upload);
  count_active (self);
}

TgUpload *
tg_upload_manager_start (TgUploadManager    *self,
                         const char         *group_id,
                         const char         *group_name,
                         const char         *name,
                         const char         *description,
                         const char * const *paths)
{
  g_return_val_if_fail (TG_IS_UPLOAD_MANAGER (self), NULL);

  g_autoptr(TgUpload) upload = tg_upload_new (self->session, group_id, group_name, name, description, paths);
  add (self, upload);
  return upload;
}

/* ---- resuming ---- */

/* Whether the upload of @record_id is under way here already; a paused
 * or failed one of the same record leaves the list for its successor. */
static gboolean
known (TgUploadManager *self,
       const char      *record_id)
{
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->uploads)); i > 0; i--)
    {
      g_autoptr(TgUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i - 1);
      if (g_strcmp0 (tg_upload_get_record_id (upload), record_id) != 0)
        continue;
      if (tg_upload_is_active (upload))
        return TRUE;
      g_list_store_remove (self->uploads, i - 1);
    }
  return FALSE;
}

/* The unfinished records of the server in task data, oldest first. */
static void
find_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  const char *server = data;
  g_autofree char *dir_path = tc_upload_state_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_upload_state_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (!g_str_has_suffix (name, ".json") || name[0] == '.')
        continue;
      g_autofree char *id = g_strndup (name, strlen (name) - strlen (".json"));
      g_autoptr(GError) error = NULL;
      TcUploadState *record = tc_upload_state_load (id, &error);
      if (record == NULL)
        {
          if (error != NULL)
            g_debug ("skipping the resume record %s: %s", name, error->message);
          continue;
        }
      if (g_strcmp0 (record->server, server) != 0 || record->asset_id == NULL)
        {
          tc_upload_state_free (record);
          continue;
        }
      g_ptr_array_add (records, record);
    }
  g_task_return_pointer (task, records, (GDestroyNotify) g_ptr_array_unref);
}

static void
found_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TgUploadManager *self = TG_UPLOAD_MANAGER (source);
  g_autoptr(GPtrArray) records = g_task_propagate_pointer (G_TASK (result), NULL);
  const char *server = g_task_get_task_data (G_TASK (result));
  guint n = 0;

  if (records == NULL || g_strcmp0 (server, tg_session_get_server (self->session)) != 0 ||
      !tg_session_is_signed_in (self->session))
    return;
  for (guint i = 0; i < records->len; i++)
    {
      TcUploadState *record = g_ptr_array_index (records, i);
      if (known (self, record->id))
        continue;
      g_ptr_array_index (records, i) = NULL;
      g_autoptr(TgUpload) upload = tg_upload_new_resumed (self->session, record);
      add (self, upload);
      n++;
    }
  g_signal_emit (self, signals[SIGNAL_RESUMED], 0, n);
}

void
tg_upload_manager_resume_pending (TgUploadManager *self)
{
  g_return_if_fail (TG_IS_UPLOAD_MANAGER (self));
  if (tg_session_get_server (self->session) == NULL)
    return;

  g_autoptr(GTask) task = g_task_new (self, NULL, found_cb, NULL);
  g_task_set_task_data (task, g_strdup (tg_session_get_server (self->session)), g_free);
  g_task_run_in_thread (task, find_thread);
}

/* ---- stopping ---- */

void
tg_upload_manager_stop (TgUploadManager *self)
{
  g_return_if_fail (TG_IS_UPLOAD_MANAGER (self));
  guint len = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));
  for (guint i = 0; i < len; i++)
    {
      g_autoptr(TgUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i);
      tg_upload_pause (upload);
    }
}

void
tg_upload_manager_clear_finished (TgUploadManager *self)
{
  g_return_if_fail (TG_IS_UPLOAD_MANAGER (self));
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->uploads)); i > 0; i--)
    {
      g_autoptr(TgUpload) upload = g_list_model_get_item (G_LIST_MODEL (self->uploads), i - 1);
      TgUploadPhase phase = tg_upload_get_phase (upload);
      if (phase == TG_UPLOAD_DONE || phase == TG_UPLOAD_CANCELLED)
        g_list_store_remove (self->uploads, i - 1);
    }
}

/* ---- object ---- */

GListModel *
tg_upload_manager_get_uploads (TgUploadManager *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD_MANAGER (self), NULL);
  return G_LIST_MODEL (self->uploads);
}

guint
tg_upload_manager_get_n_active (TgUploadManager *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD_MANAGER (self), 0);
  return self->n_active;
}

TgUploadManager *
tg_upload_manager_new (TgSession *session,
                       GSettings *settings)
{
  TgUploadManager *self = g_object_new (TG_TYPE_UPLOAD_MANAGER, NULL);
  self->session = g_object_ref (session);
  self->settings = g_object_ref (settings);
  return self;
}

static void
tg_upload_manager_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TgUploadManager *self = TG_UPLOAD_MANAGER (object);

  switch (prop_id)
    {
    case PROP_N_ACTIVE:
      g_value_set_uint (value, self->n_active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_upload_manager_dispose (GObject *object)
{
  TgUploadManager *self = TG_UPLOAD_MANAGER (object);

  if (self->uploads != NULL)
    tg_upload_manager_stop (self);
  g_clear_object (&self->uploads);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tg_upload_manager_parent_class)->dispose (object);
}

static void
tg_upload_manager_class_init (TgUploadManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tg_upload_manager_dispose;
  object_class->get_property = tg_upload_manager_get_property;

  properties[PROP_N_ACTIVE] = g_param_spec_uint ("n-active", NULL, NULL, 0, G_MAXUINT, 0,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The server made the asset of an upload (it is in the library now,
   * waiting for its files). */
  signals[SIGNAL_CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, TG_TYPE_UPLOAD);
  /* An upload is done, failed or was cancelled. */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, TG_TYPE_UPLOAD);
  /* tg_upload_manager_resume_pending() found this many unfinished uploads. */
  signals[SIGNAL_RESUMED] = g_signal_new ("resumed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
tg_upload_manager_init (TgUploadManager *self)
{
  self->uploads = g_list_store_new (TG_TYPE_UPLOAD);
}
