/* sd-storage.c — the storage front: checks every key, then hands the call
 * to the backend (sd-storage-disk.c today).  See sd-storage.h. */
#define G_LOG_DOMAIN "sd-storage"

#include "storage/sd-storage.h"

#include <string.h>

struct _SdStorage {
  const SdStorageBackend *backend;
  gpointer self;
};

struct _SdStorageWriter {
  const SdStorageBackend *backend;
  gpointer w;
  goffset offset;
  goffset start;
};

SdStorage *
sd_storage_new (const SdStorageBackend *backend,
                gpointer                self)
{
  SdStorage *storage = g_new0 (SdStorage, 1);
  storage->backend = backend;
  storage->self = self;
  return storage;
}

void
sd_storage_free (SdStorage *storage)
{
  if (storage == NULL)
    return;
  if (storage->backend->free != NULL)
    storage->backend->free (storage->self);
  g_free (storage);
}

gboolean
sd_storage_key_valid (const char *key)
{
  if (key == NULL)
    return FALSE;
  gsize len = strlen (key);
  if (len == 0 || len > 512)
    return FALSE;

  gboolean segment_start = TRUE;
  for (const char *p = key; *p != '\0'; p++)
    {
      char c = *p;
      if (c == '/')
        {
          if (segment_start)          /* leading or doubled '/' */
            return FALSE;
          segment_start = TRUE;
          continue;
        }
      if (segment_start && c == '.')  /* ".", "..", hidden names */
        return FALSE;
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
        return FALSE;
      segment_start = FALSE;
    }
  return !segment_start;              /* no trailing '/' */
}

static gboolean
check_key (const char  *key,
           GError     **error)
{
  if (sd_storage_key_valid (key))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not a valid storage key",
               key != NULL ? key : "(null)");
  return FALSE;
}

gboolean
sd_storage_create (SdStorage   *storage,
                   const char  *key,
                   GError     **error)
{
  return check_key (key, error) && storage->backend->create (storage->self, key, error);
}

gboolean
sd_storage_append (SdStorage   *storage,
                   const char  *key,
                   goffset      offset,
                   const void  *data,
                   gsize        len,
                   GError     **error)
{
  g_return_val_if_fail (offset >= 0, FALSE);
  return check_key (key, error) &&
         storage->backend->append (storage->self, key, offset, data, len, error);
}

goffset
sd_storage_size (SdStorage   *storage,
                 const char  *key,
                 GError     **error)
{
  if (!check_key (key, error))
    return -1;
  return storage->backend->size (storage->self, key, error);
}

gboolean
sd_storage_truncate (SdStorage   *storage,
                     const char  *key,
                     goffset      size,
                     GError     **error)
{
  g_return_val_if_fail (size >= 0, FALSE);
  return check_key (key, error) && storage->backend->truncate (storage->self, key, size, error);
}

GInputStream *
sd_storage_read (SdStorage   *storage,
                 const char  *key,
                 goffset      offset,
                 GError     **error)
{
  g_return_val_if_fail (offset >= 0, NULL);
  if (!check_key (key, error))
    return NULL;
  return storage->backend->read (storage->self, key, offset, error);
}

gboolean
sd_storage_put (SdStorage   *storage,
                const char  *key,
                GBytes      *bytes,
                GError     **error)
{
  return check_key (key, error) && storage->backend->put (storage->self, key, bytes, error);
}

gboolean
sd_storage_put_file (SdStorage   *storage,
                     const char  *key,
                     const char  *path,
                     GError     **error)
{
  return check_key (key, error) && storage->backend->put_file (storage->self, key, path, error);
}

char *
sd_storage_local_path (SdStorage   *storage,
                       const char  *key,
                       gboolean    *is_temp,
                       GError     **error)
{
  gboolean temp = FALSE;
  if (!check_key (key, error))
    return NULL;
  char *path = storage->backend->local_path (storage->self, key, &temp, error);
  if (is_temp != NULL)
    *is_temp = temp;
  return path;
}

gboolean
sd_storage_remove (SdStorage   *storage,
                   const char  *key,
                   GError     **error)
{
  return check_key (key, error) && storage->backend->remove (storage->self, key, error);
}

gboolean
sd_storage_remove_prefix (SdStorage   *storage,
                          const char  *prefix,
                          GError     **error)
{
  return check_key (prefix, error) && storage->backend->remove_prefix (storage->self, prefix, error);
}

/* ---- writers ---- */

SdStorageWriter *
sd_storage_writer_open (SdStorage   *storage,
                        const char  *key,
                        goffset      offset,
                        GError     **error)
{
  g_return_val_if_fail (offset >= 0, NULL);
  if (!check_key (key, error))
    return NULL;
  gpointer w = storage->backend->writer_open (storage->self, key, offset, error);
  if (w == NULL)
    return NULL;
  SdStorageWriter *writer = g_new0 (SdStorageWriter, 1);
  writer->backend = storage->backend;
  writer->w = w;
  writer->offset = offset;
  writer->start = offset;
  return writer;
}

gboolean
sd_storage_writer_write (SdStorageWriter  *writer,
                         const void       *data,
                         gsize             len,
                         GError          **error)
{
  if (len == 0)
    return TRUE;
  if (!writer->backend->writer_write (writer->w, data, len, error))
    return FALSE;
  writer->offset += (goffset) len;
  return TRUE;
}

gboolean
sd_storage_writer_sync (SdStorageWriter  *writer,
                        GError          **error)
{
  return writer->backend->writer_sync (writer->w, error);
}

gboolean
sd_storage_writer_truncate (SdStorageWriter  *writer,
                            goffset           size,
                            GError          **error)
{
  g_return_val_if_fail (size >= writer->start && size <= writer->offset, FALSE);
  if (!writer->backend->writer_truncate (writer->w, size, error))
    return FALSE;
  writer->offset = size;
  return TRUE;
}

goffset
sd_storage_writer_offset (SdStorageWriter *writer)
{
  return writer->offset;
}

void
sd_storage_writer_close (SdStorageWriter *writer)
{
  if (writer == NULL)
    return;
  writer->backend->writer_close (writer->w);
  g_free (writer);
}
