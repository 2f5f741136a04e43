/* sd-storage.h — where the bytes of uploads and derived media live.
 *
 * Handlers and media jobs name files by *key* (a relative path made of
 * [a-z0-9-_./] without "..", for example "ORG/uploads/ID" or
 * "ORG/videos/ID/thumb.jpg") and never by filesystem path, so that an
 * S3-compatible backend can be added by implementing SdStorageBackend
 * without touching them.  The disk backend keeps each key as a file under
 * its root directory (DATA_DIR/media).
 *
 * One SdStorage is shared by every thread; backends are thread-safe.
 */
#pragma once
#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SdStorage SdStorage;

typedef struct {
  /* Create an empty object (truncating any old one). */
  gboolean      (*create)     (gpointer self, const char *key, GError **error);
  /* Append @len bytes at the end of the object, which must currently hold
   * exactly @offset bytes (else G_IO_ERROR_INVALID_DATA); the data is
   * durable (fsync'd) when this returns TRUE. */
  gboolean      (*append)     (gpointer self, const char *key, goffset offset,
                               const void *data, gsize len, GError **error);
  /* Current size in bytes, or -1 with G_IO_ERROR_NOT_FOUND. */
  goffset       (*size)       (gpointer self, const char *key, GError **error);
  /* Cut the object back to @size bytes (recovering from a partial write). */
  gboolean      (*truncate)   (gpointer self, const char *key, goffset size, GError **error);
  /* A stream reading from @offset; the caller reads at most what it needs. */
  GInputStream *(*read)       (gpointer self, const char *key, goffset offset, GError **error);
  /* Store a whole object at once (thumbnails, strips). */
  gboolean      (*put)        (gpointer self, const char *key, GBytes *bytes, GError **error);
  /* Store the file at @path as the object (transcodes), moving it when the
   * backend can. */
  gboolean      (*put_file)   (gpointer self, const char *key, const char *path, GError **error);
  /* A local file path GStreamer can open for reading: the object itself on
   * disk, or a temporary copy made by a remote backend (@is_temp set; the
   * caller unlinks it). */
  char         *(*local_path) (gpointer self, const char *key, gboolean *is_temp, GError **error);
  /* Delete the object; deleting a missing object succeeds. */
  gboolean      (*remove)     (gpointer self, const char *key, GError **error);
  /* Delete every object whose key starts with @prefix followed by '/'. */
  gboolean      (*remove_prefix) (gpointer self, const char *prefix, GError **error);
  void          (*free)       (gpointer self);
} SdStorageBackend;

/* The disk backend rooted at @root (created if missing, mode 0700). */
SdStorage    *sd_storage_new_disk      (const char *root, GError **error);
/* Any backend; takes ownership of @self (freed with backend->free). */
SdStorage    *sd_storage_new           (const SdStorageBackend *backend, gpointer self);
void          sd_storage_free          (SdStorage *storage);

/* TRUE when @key is well formed (see above). */
gboolean      sd_storage_key_valid     (const char *key);

gboolean      sd_storage_create        (SdStorage *storage, const char *key, GError **error);
gboolean      sd_storage_append        (SdStorage *storage, const char *key, goffset offset,
                                        const void *data, gsize len, GError **error);
goffset       sd_storage_size          (SdStorage *storage, const char *key, GError **error);
gboolean      sd_storage_truncate      (SdStorage *storage, const char *key, goffset size, GError **error);
GInputStream *sd_storage_read          (SdStorage *storage, const char *key, goffset offset, GError **error);
gboolean      sd_storage_put           (SdStorage *storage, const char *key, GBytes *bytes, GError **error);
gboolean      sd_storage_put_file      (SdStorage *storage, const char *key, const char *path, GError **error);
char         *sd_storage_local_path    (SdStorage *storage, const char *key, gboolean *is_temp, GError **error);
gboolean      sd_storage_remove        (SdStorage *storage, const char *key, GError **error);
gboolean      sd_storage_remove_prefix (SdStorage *storage, const char *prefix, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdStorage, sd_storage_free)

G_END_DECLS
