/* sd-storage.h — where the bytes of uploads and derived media live.
 *
 * Handlers and media jobs name files by *key* (a relative path made of
 * [a-z0-9-_./] without "..", for example "ORG/uploads/ID" or
 * "ORG/videos/ID/thumb.jpg") and never by filesystem path, so that an
 * S3-compatible backend can be added by implementing SdStorageBackend
 * without touching them.  The disk backend keeps each key as a file under
 * its root directory (DATA_DIR/media).
 *
 * Key rules (sd_storage_key_valid): 1 to 512 bytes of [a-z0-9-_./], made of
 * '/'-separated segments that are neither empty nor start with '.' (so no
 * "..", no hidden names, no leading, trailing or doubled '/').
 *
 * One SdStorage is shared by every thread; backends are thread-safe.  A
 * writer (SdStorageWriter) is used by one thread at a time.
 *
 * Errors are in the G_IO_ERROR domain: NOT_FOUND for a missing object,
 * INVALID_ARGUMENT for a malformed key, BUSY when another writer holds the
 * object, INVALID_DATA when an object is shorter than the caller says.
 */
#pragma once
#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SdStorage       SdStorage;
typedef struct _SdStorageWriter SdStorageWriter;

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
  /* Store a whole object at once (thumbnails, strips); atomic: readers see
   * the old object or the new one, never a part. */
  gboolean      (*put)        (gpointer self, const char *key, GBytes *bytes, GError **error);
  /* Store the file at @path as the object (transcodes), atomic like put.
   * On success the file at @path is gone (moved when the backend can,
   * else copied and removed). */
  gboolean      (*put_file)   (gpointer self, const char *key, const char *path, GError **error);
  /* A local file path GStreamer can open for reading: the object itself on
   * disk, or a temporary copy made by a remote backend (@is_temp set; the
   * caller unlinks it). */
  char         *(*local_path) (gpointer self, const char *key, gboolean *is_temp, GError **error);
  /* Delete the object; deleting a missing object succeeds. */
  gboolean      (*remove)     (gpointer self, const char *key, GError **error);
  /* Delete every object whose key starts with @prefix followed by '/'. */
  gboolean      (*remove_prefix) (gpointer self, const char *prefix, GError **error);

  /* Streaming appends (tus PATCH bodies).  writer_open takes the only
   * writer of @key (G_IO_ERROR_BUSY while another one, in this process or
   * another, has it) positioned at @offset: the object is created when
   * missing and @offset is 0; bytes beyond @offset (written but never made
   * durable by a sync) are cut off; an object shorter than @offset fails
   * with G_IO_ERROR_INVALID_DATA. */
  gpointer      (*writer_open)     (gpointer self, const char *key, goffset offset, GError **error);
  /* Adds bytes at the end; not durable until writer_sync. */
  gboolean      (*writer_write)    (gpointer writer, const void *data, gsize len, GError **error);
  /* Makes every byte written so far durable. */
  gboolean      (*writer_sync)     (gpointer writer, GError **error);
  /* Cuts the object back to @size bytes (not below the opening offset),
   * durably, and goes on writing from there. */
  gboolean      (*writer_truncate) (gpointer writer, goffset size, GError **error);
  /* Releases the writer; bytes not synced may or may not stay. */
  void          (*writer_close)    (gpointer writer);

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

/* ---- streaming appends (see writer_open above) ----
 * The writer keeps the storage's backend: close it before freeing
 * @storage. */
SdStorageWriter *sd_storage_writer_open     (SdStorage *storage, const char *key, goffset offset,
                                             GError **error);
gboolean      sd_storage_writer_write    (SdStorageWriter *writer, const void *data, gsize len,
                                          GError **error);
gboolean      sd_storage_writer_sync     (SdStorageWriter *writer, GError **error);
/* Back to @size (>= the opening offset) durably, e.g. to drop a chunk that
 * failed its checksum. */
gboolean      sd_storage_writer_truncate (SdStorageWriter *writer, goffset size, GError **error);
/* The offset it was opened at plus the bytes written since (minus any
 * truncation): where the next byte goes. */
goffset       sd_storage_writer_offset   (SdStorageWriter *writer);
void          sd_storage_writer_close    (SdStorageWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdStorage, sd_storage_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdStorageWriter, sd_storage_writer_close)

G_END_DECLS
