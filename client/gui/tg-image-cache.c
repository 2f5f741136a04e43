/* tg-image-cache.c — fetch (tg_session_fetch_async) → decode on a worker
 * thread (gdk_texture_new_from_bytes) → keep (see tg-image-cache.h). */
#define G_LOG_DOMAIN "tg-image-cache"

#include "tg-image-cache.h"

struct _TgImageCache
{
  GObject parent_instance;

  TgSession *session;
  GHashTable *textures;   /* path → GdkTexture */
  guint generation;       /* bumped by clear: late results are not kept */
};

G_DEFINE_FINAL_TYPE (TgImageCache, tg_image_cache, G_TYPE_OBJECT)

typedef struct {
  char *path;
  GBytes *bytes;
  guint generation;
} Load;

static void
load_free (Load *load)
{
  g_free (load->path);
  g_clear_pointer (&load->bytes, g_bytes_unref);
  g_free (load);
}

static void
decode_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  Load *load = data;
  GError *error = NULL;
  GdkTexture *texture = gdk_texture_new_from_bytes (load->bytes, &error);

  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
decoded_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TgImageCache *self = TG_IMAGE_CACHE (source);
  Load *load = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  GdkTexture *texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (texture == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (load->generation == self->generation)
    g_hash_table_replace (self->textures, g_strdup (load->path), g_object_ref (texture));
  g_task_return_pointer (task, texture, g_object_unref);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TgImageCache *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;

  load->bytes = tg_session_fetch_finish (TG_SESSION (source), result, &error);
  if (load->bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  GCancellable *cancellable = g_task_get_cancellable (task);
  GTask *decode = g_task_new (self, cancellable, decoded_cb, g_steal_pointer (&task));
  Load *copy = g_new0 (Load, 1);
  copy->path = g_strdup (load->path);
  copy->bytes = g_bytes_ref (load->bytes);
  copy->generation = load->generation;
  g_task_set_task_data (decode, copy, (GDestroyNotify) load_free);
  g_task_run_in_thread (decode, decode_thread);
  g_object_unref (decode);
}

void
tg_image_cache_load_async (TgImageCache        *self,
                           const char          *path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (TG_IS_IMAGE_CACHE (self));
  g_return_if_fail (path != NULL);

  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tg_image_cache_load_async);
  GdkTexture *cached = g_hash_table_lookup (self->textures, path);
  if (cached != NULL)
    {
      g_task_return_pointer (task, g_object_ref (cached), g_object_unref);
      return;
    }
  Load *load = g_new0 (Load, 1);
  load->path = g_strdup (path);
  load->generation = self->generation;
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  tg_session_fetch_async (self->session, path, cancellable, fetched_cb, g_steal_pointer (&task));
}

GdkTexture *
tg_image_cache_load_finish (TgImageCache  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GdkTexture *
tg_image_cache_lookup (TgImageCache *self,
                       const char   *path)
{
  g_return_val_if_fail (TG_IS_IMAGE_CACHE (self), NULL);
  return path != NULL ? g_hash_table_lookup (self->textures, path) : NULL;
}

void
tg_image_cache_forget (TgImageCache *self,
                       const char   *path)
{
  g_return_if_fail (TG_IS_IMAGE_CACHE (self));
  g_hash_table_remove (self->textures, path);
}

void
tg_image_cache_clear (TgImageCache *self)
{
  g_return_if_fail (TG_IS_IMAGE_CACHE (self));
  g_hash_table_remove_all (self->textures);
  self->generation++;
}

TgImageCache *
tg_image_cache_new (TgSession *session)
{
  TgImageCache *self = g_object_new (TG_TYPE_IMAGE_CACHE, NULL);
  self->session = g_object_ref (session);
  return self;
}

static void
tg_image_cache_finalize (GObject *object)
{
  TgImageCache *self = TG_IMAGE_CACHE (object);

  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tg_image_cache_parent_class)->finalize (object);
}

static void
tg_image_cache_class_init (TgImageCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tg_image_cache_finalize;
}

static void
tg_image_cache_init (TgImageCache *self)
{
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}
