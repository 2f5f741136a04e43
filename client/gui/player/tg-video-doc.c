/* tg-video-doc.c — a video under review and its threads, read and written
 * through the REST API; see tg-video-doc.h. */
#define G_LOG_DOMAIN "tg-video-doc"

#include "tg-video-doc.h"

#include "tandem-error.h"
#include "tg-fetch.h"

#include <glib/gi18n-lib.h>

#define REVIEW_PAGE 100

struct _TgVideoDoc
{
  GObject parent_instance;

  TandemApiClient *client;
  char *asset_id;
  char *video_id;
  GCancellable *cancellable;   /* the strip fetch; cancelled on dispose */

  gboolean loaded;
  char *user_id;
  char *user_role;
  char *asset_status;
  char *asset_owner_id;
  char *title;
  char *playback_uri;
  gint64 duration_ms;
  char *strip_path;
  guint strip_frames;
  guint strip_interval_ms;
  guint strip_columns;
  GdkTexture *strip;
  GListStore *reviews;
};

enum {
  PROP_0,
  PROP_LOADED,
  PROP_STRIP,
  PROP_ASSET_STATUS,
  PROP_CAN_FINALIZE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (TgVideoDoc, tg_video_doc, G_TYPE_OBJECT)

/* ---- small JSON readers ---- */

static JsonObject *
root_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
str_member (JsonObject *o,
            const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;
  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

static gint64
int_member (JsonObject *o,
            const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;
  return node != NULL && json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : -1;
}

static void
set_str (char      **field,
         const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* The reply of a call made for @task (from the client @source); NULL
 * once @task has returned the call's error. */
static JsonNode *
task_call_finish (GObject      *source,
                  GAsyncResult *result,
                  GTask        *task)
{
  GError *error = NULL;
  JsonNode *reply = tandem_api_client_call_finish (TANDEM_API_CLIENT (source), result, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  return reply;
}

/* ---- reviews ---- */

typedef struct {
  GPtrArray *items;    /* TgReview */
  char *cursor;
} ReviewsLoad;

static void
reviews_load_free (gpointer data)
{
  ReviewsLoad *load = data;
  g_ptr_array_unref (load->items);
  g_free (load->cursor);
  g_free (load);
}

static void fetch_reviews_page (GTask *task);

static void
on_reviews_page (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(GTask) task = data;
  TgVideoDoc *self = g_task_get_source_object (task);
  ReviewsLoad *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_autoptr(JsonNode) reply = task_call_finish (source, result, task);
  if (reply == NULL)
    return;
  JsonObject *o = root_object (reply);
  JsonNode *items = o != NULL ? json_object_get_member (o, "items") : NULL;
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    {
      g_task_return_new_error (task, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, C_("player", "The server sent a list of reviews without items"));
      return;
    }
  JsonArray *array = json_node_get_array (items);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = root_object (json_array_get_element (array, i));
      TgReview *review = item != NULL ? tg_review_new_from_json (item, &error) : NULL;
      if (review == NULL)
        {
          g_task_return_new_error (task, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, C_("player", "The server sent a review that cannot be read: %s"),
                                   error != NULL ? error->message : "not an object");
          return;
        }
      g_ptr_array_add (load->items, review);
    }

  set_str (&load->cursor, str_member (o, "next_cursor"));
  if (load->cursor != NULL && json_array_get_length (array) > 0)
    {
      fetch_reviews_page (g_steal_pointer (&task));
      return;
    }

  g_list_store_splice (self->reviews, 0, g_list_model_get_n_items (G_LIST_MODEL (self->reviews)),
                       load->items->pdata, load->items->len);
  g_task_return_boolean (task, TRUE);
}

static void
fetch_reviews_page (GTask *task)
{
  TgVideoDoc *self = g_task_get_source_object (task);
  ReviewsLoad *load = g_task_get_task_data (task);

  g_autofree char *path = NULL;
  if (load->cursor == NULL)
    path = g_strdup_printf ("/assets/%s/videos/%s/reviews?limit=%d", self->asset_id, self->video_id, REVIEW_PAGE);
  else
    {
      g_autofree char *cursor = g_uri_escape_string (load->cursor, NULL, FALSE);
      path = g_strdup_printf ("/assets/%s/videos/%s/reviews?limit=%d&cursor=%s", self->asset_id, self->video_id,
                              REVIEW_PAGE, cursor);
    }
  tandem_api_client_call_async (self->client, "GET", path, NULL, g_task_get_cancellable (task),
                                on_reviews_page, task);
}

void
tg_video_doc_reload_reviews_async (TgVideoDoc          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (TG_IS_VIDEO_DOC (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tg_video_doc_reload_reviews_async);
  ReviewsLoad *load = g_new0 (ReviewsLoad, 1);
  load->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, load, reviews_load_free);
  fetch_reviews_page (task);
}

gboolean
tg_video_doc_reload_reviews_finish (TgVideoDoc    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- strip ---- */

static void
on_strip (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(TgVideoDoc) self = data;
  g_autoptr(GError) error = NULL;

  g_autoptr(GBytes) bytes = tg_fetch_bytes_finish (TANDEM_API_CLIENT (source), result, &error);
  g_autoptr(GdkTexture) texture = bytes != NULL ? gdk_texture_new_from_bytes (bytes, &error) : NULL;
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("no timeline strip for %s: %s", self->video_id, error->message);
      return;
    }
  g_set_object (&self->strip, texture);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STRIP]);
}

/* ---- load ---- */

typedef struct {
  guint pending;
  GError *error;
} Load;

static void
load_free (gpointer data)
{
  Load *load = data;
  g_clear_error (&load->error);
  g_free (load);
}

/* One part of the load came back (with @error, or NULL). */
static void
load_part_done (GTask  *task,
                GError *error)
{
  Load *load = g_task_get_task_data (task);
  if (error != NULL && load->error == NULL)
    load->error = error;
  else if (error != NULL)
    g_error_free (error);
  if (--load->pending > 0)
    return;

  TgVideoDoc *self = g_task_get_source_object (task);
  if (load->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&load->error));
      return;
    }
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOADED]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ASSET_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_FINALIZE]);
  if (self->strip_path != NULL)
    tg_fetch_bytes_async (self->client, self->strip_path, self->cancellable, on_strip, g_object_ref (self));
  g_task_return_boolean (task, TRUE);
}

/* Reads the reply object of one part of the load into @self; @reply is
 * NULL when the call failed (*@error is set then). */
typedef void (*LoadPartRead) (TgVideoDoc  *self,
                              JsonObject  *reply,
                              GError     **error);

typedef struct {
  GTask *task;
  LoadPartRead read;
} LoadPart;

static void
on_load_part (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  LoadPart *part = data;
  g_autoptr(GTask) task = part->task;
  LoadPartRead read = part->read;
  g_free (part);

  GError *error = NULL;
  g_autoptr(JsonNode) reply = tandem_api_client_call_finish (TANDEM_API_CLIENT (source), result, &error);
  read (g_task_get_source_object (task), root_object (reply), &error);
  load_part_done (task, error);
}

/* GET @path for the load @task; @read takes the reply. */
static void
load_part (GTask        *task,
           const char   *path,
           LoadPartRead  read)
{
  TgVideoDoc *self = g_task_get_source_object (task);
  LoadPart *part = g_new0 (LoadPart, 1);
  part->task = g_object_ref (task);
  part->read = read;
  tandem_api_client_call_async (self->client, "GET", path, NULL, g_task_get_cancellable (task), on_load_part, part);
}

static void
read_me (TgVideoDoc  *self,
         JsonObject  *o,
         GError     **error)
{
  set_str (&self->user_id, str_member (o, "id"));
  set_str (&self->user_role, str_member (o, "role"));
}

static void
read_asset (TgVideoDoc  *self,
            JsonObject  *o,
            GError     **error)
{
  JsonObject *asset = o != NULL && json_object_has_member (o, "asset")
                      ? root_object (json_object_get_member (o, "asset")) : o;
  set_str (&self->asset_status, str_member (asset, "status"));
  set_str (&self->asset_owner_id, str_member (asset, "owner_id"));
  if (self->title == NULL)
    set_str (&self->title, str_member (asset, "name"));
}

static void
read_video (TgVideoDoc  *self,
            JsonObject  *o,
            GError     **error)
{
  if (o == NULL)
    return;
  self->duration_ms = int_member (o, "duration_ms");
  const char *filename = str_member (o, "filename");
  if (filename != NULL)
    set_str (&self->title, filename);
  JsonObject *strip = json_object_has_member (o, "strip") ? root_object (json_object_get_member (o, "strip")) : NULL;
  if (strip != NULL && str_member (strip, "url") != NULL && int_member (strip, "frames") > 0 &&
      int_member (strip, "interval_ms") > 0 && int_member (strip, "columns") > 0)
    {
      set_str (&self->strip_path, str_member (strip, "url"));
      self->strip_frames = (guint) int_member (strip, "frames");
      self->strip_interval_ms = (guint) int_member (strip, "interval_ms");
      self->strip_columns = (guint) int_member (strip, "columns");
    }
}

static void
read_playback (TgVideoDoc  *self,
               JsonObject  *o,
               GError     **error)
{
  const char *url = str_member (o, "url");
  if (*error == NULL && url == NULL)
    *error = g_error_new_literal (TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, C_("player", "The server sent no playback link"));
  set_str (&self->playback_uri, url);
}

static void
on_reviews_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  tg_video_doc_reload_reviews_finish (TG_VIDEO_DOC (source), result, &error);
  load_part_done (task, error);
}

void
tg_video_doc_load_async (TgVideoDoc          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (TG_IS_VIDEO_DOC (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tg_video_doc_load_async);
  Load *load = g_new0 (Load, 1);
  load->pending = 5;
  g_task_set_task_data (task, load, load_free);

  g_autofree char *asset = g_strdup_printf ("/assets/%s", self->asset_id);
  g_autofree char *video = g_strdup_printf ("/videos/%s", self->video_id);
  g_autofree char *playback = g_strdup_printf ("/videos/%s/playback", self->video_id);
  load_part (task, "/auth/me", read_me);
  load_part (task, asset, read_asset);
  load_part (task, video, read_video);
  load_part (task, playback, read_playback);
  tg_video_doc_reload_reviews_async (self, cancellable, on_reviews_loaded, task);
}

gboolean
tg_video_doc_load_finish (TgVideoDoc    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_playback_refreshed (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  g_autoptr(GTask) task = data;
  TgVideoDoc *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) reply = task_call_finish (source, result, task);
  const char *url = str_member (root_object (reply), "url");
  if (reply == NULL)
    return;
  if (url == NULL)
    g_task_return_new_error (task, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, "%s",
                             C_("player", "The server sent no playback link"));
  else
    {
      set_str (&self->playback_uri, url);
      g_task_return_boolean (task, TRUE);
    }
}

void
tg_video_doc_refresh_playback_async (TgVideoDoc          *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (TG_IS_VIDEO_DOC (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tg_video_doc_refresh_playback_async);
  g_autofree char *path = g_strdup_printf ("/videos/%s/playback", self->video_id);
  tandem_api_client_call_async (self->client, "GET", path, NULL, cancellable, on_playback_refreshed, task);
}

gboolean
tg_video_doc_refresh_playback_finish (TgVideoDoc    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- changes ---- */

/* After a change: read the threads again, then finish @task with @id (or
 * TRUE when @id is NULL). */
static void
on_reloaded_after_change (GObject      *source,
                          GAsyncResult *result,
                          gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  if (!tg_video_doc_reload_reviews_finish (TG_VIDEO_DOC (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  const char *id = g_task_get_task_data (task);
  if (id != NULL)
    g_task_return_pointer (task, g_strdup (id), g_free);
  else
    g_task_return_boolean (task, TRUE);
}

/* A review was added (the task keeps its id) or deleted: read the threads
 * again before the task finishes. */
static void
on_review_changed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  TgVideoDoc *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) reply = task_call_finish (source, result, task);
  if (reply == NULL)
    return;
  if (g_task_get_source_tag (task) == tg_video_doc_add_review_async)
    g_task_set_task_data (task, g_strdup (str_member (root_object (reply), "id")), g_free);
  GCancellable *cancellable = g_task_get_cancellable (task);
  tg_video_doc_reload_reviews_async (self, cancellable, on_reloaded_after_change, g_steal_pointer (&task));
}

void
tg_video_doc_add_review_async (TgVideoDoc          *self,
                               gint64               at_ms,
                               gint64               end_ms,
                               const char          *text,
                               TgDrawing           *drawing,
                               const char          *parent_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TG_IS_VIDEO_DOC (self));
  g_return_if_fail (text != NULL);

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tg_video_doc_add_review_async);

  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "text", text);
  if (at_ms >= 0)
    json_object_set_int_member (body, "at_ms", at_ms);
  if (end_ms >= 0 && at_ms >= 0 && end_ms > at_ms)
    json_object_set_int_member (body, "end_ms", end_ms);
  if (drawing != NULL && tg_drawing_get_n_shapes (drawing) > 0)
    json_object_set_member (body, "drawing", tg_drawing_to_json (drawing));
  if (parent_id != NULL)
    json_object_set_string_member (body, "parent_id", parent_id);

  g_autofree char *path = g_strdup_printf ("/assets/%s/videos/%s/reviews", self->asset_id, self->video_id);
  tandem_api_client_call_async (self->client, "POST", path, body, cancellable, on_review_changed, task);
}

char *
tg_video_doc_add_review_finish (TgVideoDoc    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tg_video_doc_delete_review_async (TgVideoDoc          *self,
                                  const char          *review_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (TG_IS_VIDEO_DOC (self));
  g_return_if_fail (review_id != NULL);

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tg_video_doc_delete_review_async);
  g_autofree char *path = g_strdup_printf ("/assets/%s/videos/%s/reviews/%s", self->asset_id, self->video_id,
                                           review_id);
  tandem_api_client_call_async (self->client, "DELETE", path, NULL, cancellable, on_review_changed, task);
}

gboolean
tg_video_doc_delete_review_finish (TgVideoDoc    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_finalized (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  TgVideoDoc *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) reply = task_call_finish (source, result, task);
  if (reply == NULL)
    return;
  JsonObject *o = root_object (reply);
  JsonObject *asset = o != NULL && json_object_has_member (o, "asset")
                      ? root_object (json_object_get_member (o, "asset")) : o;
  const char *status = str_member (asset, "status");
  set_str (&self->asset_status, status != NULL ? status : "completed");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ASSET_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_FINALIZE]);
  g_task_return_boolean (task, TRUE);
}

void
tg_video_doc_finalize_async (TgVideoDoc          *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (TG_IS_VIDEO_DOC (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tg_video_doc_finalize_async);
  g_autofree char *path = g_strdup_printf ("/assets/%s/finalize", self->asset_id);
  tandem_api_client_call_async (self->client, "POST", path, NULL, cancellable, on_finalized, task);
}

gboolean
tg_video_doc_finalize_finish (TgVideoDoc    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- getters ---- */

TandemApiClient *
tg_video_doc_get_client (TgVideoDoc *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), NULL);
  return self->client;
}

const char *
tg_video_doc_get_asset_id (TgVideoDoc *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), NULL);
  return self->asset_id;
}

const char *
tg_video_doc_get_video_id (TgVideoDoc *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), NULL);
  return self->video_id;
}

gboolean
tg_video_doc_get_loaded (TgVideoDoc *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), FALSE);
  return self->loaded;
}

const char *
tg_video_doc_get_playback_uri (TgVideoDoc *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), NULL);
  return self->playback_uri;
}

const char *
tg_video_doc_get_title (TgVideoDoc *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), NULL);
  return self->title;
}

gint64
tg_video_doc_get_duration_ms (TgVideoDoc *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), -1);
  return self->duration_ms;
}

GdkTexture *
tg_video_doc_get_strip (TgVideoDoc *self,
                        guint      *frames,
                        guint      *interval_ms,
                        guint      *columns)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), NULL);
  if (frames != NULL)
    *frames = self->strip_frames;
  if (interval_ms != NULL)
    *interval_ms = self->strip_interval_ms;
  if (columns != NULL)
    *columns = self->strip_columns;
  return self->strip;
}

GListModel *
tg_video_doc_get_reviews (TgVideoDoc *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), NULL);
  return G_LIST_MODEL (self->reviews);
}

const char *
tg_video_doc_get_user_id (TgVideoDoc *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), NULL);
  return self->user_id;
}

gboolean
tg_video_doc_can_delete (TgVideoDoc *self,
                         TgReview   *review)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), FALSE);
  g_return_val_if_fail (TG_IS_REVIEW (review), FALSE);
  return (self->user_id != NULL && g_strcmp0 (tg_review_get_author_id (review), self->user_id) == 0) ||
         g_strcmp0 (self->user_role, "admin") == 0;
}

const char *
tg_video_doc_get_asset_status (TgVideoDoc *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), NULL);
  return self->asset_status;
}

gboolean
tg_video_doc_get_can_finalize (TgVideoDoc *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_DOC (self), FALSE);
  return g_strcmp0 (self->asset_status, "pending") == 0 && self->user_id != NULL &&
         g_strcmp0 (self->user_id, self->asset_owner_id) != 0 &&
         (g_strcmp0 (self->user_role, "admin") == 0 || g_strcmp0 (self->user_role, "expert") == 0);
}

/* ---- GObject ---- */

TgVideoDoc *
tg_video_doc_new (TandemApiClient *client,
                  const char      *asset_id,
                  const char      *video_id)
{
  g_return_val_if_fail (TANDEM_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (asset_id != NULL && video_id != NULL, NULL);

  TgVideoDoc *self = g_object_new (TG_TYPE_VIDEO_DOC, NULL);
  self->client = g_object_ref (client);
  self->asset_id = g_strdup (asset_id);
  self->video_id = g_strdup (video_id);
  return self;
}

static void
tg_video_doc_dispose (GObject *object)
{
  TgVideoDoc *self = TG_VIDEO_DOC (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->strip);
  G_OBJECT_CLASS (tg_video_doc_parent_class)->dispose (object);
}

static void
tg_video_doc_finalize (GObject *object)
{
  TgVideoDoc *self = TG_VIDEO_DOC (object);

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->reviews);
  g_free (self->asset_id);
  g_free (self->video_id);
  g_free (self->user_id);
  g_free (self->user_role);
  g_free (self->asset_status);
  g_free (self->asset_owner_id);
  g_free (self->title);
  g_free (self->playback_uri);
  g_free (self->strip_path);
  G_OBJECT_CLASS (tg_video_doc_parent_class)->finalize (object);
}

static void
tg_video_doc_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TgVideoDoc *self = TG_VIDEO_DOC (object);

  switch (prop_id)
    {
    case PROP_LOADED: g_value_set_boolean (value, self->loaded); break;
    case PROP_STRIP: g_value_set_object (value, self->strip); break;
    case PROP_ASSET_STATUS: g_value_set_string (value, self->asset_status); break;
    case PROP_CAN_FINALIZE: g_value_set_boolean (value, tg_video_doc_get_can_finalize (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_video_doc_class_init (TgVideoDocClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tg_video_doc_dispose;
  object_class->finalize = tg_video_doc_finalize;
  object_class->get_property = tg_video_doc_get_property;

  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  props[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);
  props[PROP_STRIP] = g_param_spec_object ("strip", NULL, NULL, GDK_TYPE_TEXTURE, ro);
  props[PROP_ASSET_STATUS] = g_param_spec_string ("asset-status", NULL, NULL, NULL, ro);
  props[PROP_CAN_FINALIZE] = g_param_spec_boolean ("can-finalize", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tg_video_doc_init (TgVideoDoc *self)
{
  self->cancellable = g_cancellable_new ();
  self->reviews = g_list_store_new (TG_TYPE_REVIEW);
  self->duration_ms = -1;
}
