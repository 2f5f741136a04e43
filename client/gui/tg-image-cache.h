/* tg-image-cache.h — pictures from the server (group avatars, invitation
 * pictures, QR codes, video thumbnails) fetched with the session's token
 * and decoded off the main thread into GdkTextures, kept by path for the
 * life of the cache. */
#pragma once

#include <gtk/gtk.h>

#include "tg-session.h"

G_BEGIN_DECLS

#define TG_TYPE_IMAGE_CACHE (tg_image_cache_get_type ())

G_DECLARE_FINAL_TYPE (TgImageCache, tg_image_cache, TG, IMAGE_CACHE, GObject)

TgImageCache *tg_image_cache_new         (TgSession           *session);

/* The picture at @path (an API path such as "/groups/ID/avatar"), from the
 * cache or the server. */
void          tg_image_cache_load_async  (TgImageCache        *self,
                                          const char          *path,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GdkTexture   *tg_image_cache_load_finish (TgImageCache        *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* The cached picture at @path, or NULL (no new reference). */
GdkTexture   *tg_image_cache_lookup      (TgImageCache        *self,
                                          const char          *path);

/* Forgets @path (its picture changed), or everything (signed out). */
void          tg_image_cache_forget      (TgImageCache        *self,
                                          const char          *path);
void          tg_image_cache_clear       (TgImageCache        *self);

G_END_DECLS
