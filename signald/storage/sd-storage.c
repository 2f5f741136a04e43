/* sd-storage.c — the storage front: key checks, then the backend's table.
 *
 * (Minimal version written on the media branch so the media jobs can run
 * before the uploads branch's storage lands; same header, same contract.) */
#define G_LOG_DOMAIN "sd-storage"

#include "storage/sd-storage.h"

#include <string.h>

struct _SdStorage {
  const SdStorageBackend *backend;
  gpointer self;
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
  if (key == NULL || *key == '\0' || *key == '/' || strlen (key) > 512)
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-' || *p == '_' || *p == '.' || *p == '/'))
      return FALSE;
  g_auto(GStrv) parts = g_strsplit (key, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

static gboolean
check_key (const char  *key,
           GError     **error)
{
  if (sd_storage_key_valid (key))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, "invalid storage key “%s”", key);
  return FALSE;
}

gboolean
sd_storage_create (SdStorage *storage, const char *key, GError **error)
{
  return check_key (key, error) && storage->backend->create (storage->self, key, error);
}

gboolean
sd_storage_append (SdStorage *storage, const char *key, goffset offset,
                   const void *data, gsize len, GError **error)
{
  return check_key (key, error) && storage->backend->append (storage->self, key, offset, data, len, error);
}

goffset
sd_storage_size (SdStorage *storage, const char *key, GError **error)
{
  return check_key (key, error) ? storage->backend->size (storage->self, key, error) : -1;
}

gboolean
sd_storage_truncate (SdStorage *storage, const char *key, goffset size, GError **error)
{
  return check_key (key, error) && storage->backend->truncate (storage->self, key, size, error);
}

GInputStream *
sd_storage_read (SdStorage *storage, const char *key, goffset offset, GError **error)
{
  return check_key (key, error) ? storage->backend->read (storage->self, key, offset, error) : NULL;
}

gboolean
sd_storage_put (SdStorage *storage, const char *key, GBytes *bytes, GError **error)
{
  return check_key (key, error) && storage->backend->put (storage->self, key, bytes, error);
}

gboolean
sd_storage_put_file (SdStorage *storage, const char *key, const char *path, GError **error)
{
  return check_key (key, error) && storage->backend->put_file (storage->self, key, path, error);
}

char *
sd_storage_local_path (SdStorage *storage, const char *key, gboolean *is_temp, GError **error)
{
  gboolean temp = FALSE;
  char *path = check_key (key, error) ? storage->backend->local_path (storage->self, key, &temp, error) : NULL;
  if (is_temp != NULL)
    *is_temp = temp;
  return path;
}

gboolean
sd_storage_remove (SdStorage *storage, const char *key, GError **error)
{
  return check_key (key, error) && storage->backend->remove (storage->self, key, error);
}

gboolean
sd_storage_remove_prefix (SdStorage *storage, const char *prefix, GError **error)
{
  return check_key (prefix, error) && storage->backend->remove_prefix (storage->self, prefix, error);
}
