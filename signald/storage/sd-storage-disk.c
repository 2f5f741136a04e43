/* sd-storage-disk.c — the disk backend: each key is a file under the root
 * directory; parent directories are made on demand (0700), files are 0600.
 * Writes go through a temporary file and rename where whole objects are
 * stored, so readers never see half an object.
 *
 * (Minimal version written on the media branch; see sd-storage.c.) */
#define G_LOG_DOMAIN "sd-storage-disk"

#include "storage/sd-storage.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  char *root;
} Disk;

static char *
disk_path (Disk       *disk,
           const char *key)
{
  return g_build_filename (disk->root, key, NULL);
}

static gboolean
set_errno_error (GError    **error,
                 int         saved,
                 const char *what,
                 const char *key)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s %s: %s", what, key, g_strerror (saved));
  return FALSE;
}

static gboolean
make_parent (const char  *path,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_errno_error (error, errno, "cannot create the directory for", path);
  return TRUE;
}

static gboolean
disk_create (gpointer self, const char *key, GError **error)
{
  g_autofree char *path = disk_path (self, key);
  if (!make_parent (path, error))
    return FALSE;
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_errno_error (error, errno, "cannot create", key);
  close (fd);
  return TRUE;
}

static gboolean
disk_append (gpointer self, const char *key, goffset offset, const void *data, gsize len, GError **error)
{
  g_autofree char *path = disk_path (self, key);
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return set_errno_error (error, errno, "cannot open", key);
  struct stat st;
  gboolean ok = fstat (fd, &st) == 0;
  if (!ok)
    set_errno_error (error, errno, "cannot stat", key);
  else if (st.st_size != offset)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s holds %" G_GOFFSET_FORMAT " bytes, not %" G_GOFFSET_FORMAT,
                   key, (goffset) st.st_size, offset);
      ok = FALSE;
    }
  const guint8 *p = data;
  gsize done = 0;
  while (ok && done < len)
    {
      ssize_t n = pwrite (fd, p + done, len - done, offset + (goffset) done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        ok = set_errno_error (error, errno, "cannot write", key);
      else
        done += (gsize) n;
    }
  if (ok && fsync (fd) != 0)
    ok = set_errno_error (error, errno, "cannot sync", key);
  close (fd);
  return ok;
}

static goffset
disk_size (gpointer self, const char *key, GError **error)
{
  g_autofree char *path = disk_path (self, key);
  GStatBuf st;
  if (g_stat (path, &st) != 0)
    {
      set_errno_error (error, errno, "cannot stat", key);
      return -1;
    }
  return (goffset) st.st_size;
}

static gboolean
disk_truncate (gpointer self, const char *key, goffset size, GError **error)
{
  g_autofree char *path = disk_path (self, key);
  if (truncate (path, size) != 0)
    return set_errno_error (error, errno, "cannot truncate", key);
  return TRUE;
}

static GInputStream *
disk_read (gpointer self, const char *key, goffset offset, GError **error)
{
  g_autofree char *path = disk_path (self, key);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;
  if (offset > 0 && !g_seekable_seek (G_SEEKABLE (stream), offset, G_SEEK_SET, NULL, error))
    return NULL;
  return G_INPUT_STREAM (g_steal_pointer (&stream));
}

static gboolean
disk_put (gpointer self, const char *key, GBytes *bytes, GError **error)
{
  g_autofree char *path = disk_path (self, key);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  if (!make_parent (path, error))
    return FALSE;
  /* g_file_set_contents_full writes a temporary file, syncs and renames. */
  return g_file_set_contents_full (path, data != NULL ? data : "", (gssize) len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static gboolean
disk_put_file (gpointer self, const char *key, const char *source, GError **error)
{
  g_autofree char *path = disk_path (self, key);
  if (!make_parent (path, error))
    return FALSE;
  if (g_rename (source, path) == 0)
    return TRUE;
  if (errno != EXDEV)
    return set_errno_error (error, errno, "cannot move a file to", key);
  /* Another file system: copy beside the target, then rename. */
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);
  g_autoptr(GFile) from = g_file_new_for_path (source);
  g_autoptr(GFile) to = g_file_new_for_path (tmp);
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return FALSE;
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      return set_errno_error (error, saved, "cannot move a file to", key);
    }
  g_unlink (source);
  return TRUE;
}

static char *
disk_local_path (gpointer self, const char *key, gboolean *is_temp, GError **error)
{
  g_autofree char *path = disk_path (self, key);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no object %s", key);
      return NULL;
    }
  *is_temp = FALSE;
  return g_steal_pointer (&path);
}

static gboolean
disk_remove (gpointer self, const char *key, GError **error)
{
  g_autofree char *path = disk_path (self, key);
  if (g_unlink (path) != 0 && errno != ENOENT)
    return set_errno_error (error, errno, "cannot remove", key);
  return TRUE;
}

static gboolean
remove_tree (const char  *path,
             GError     **error)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return TRUE;   /* missing: nothing to remove */
  const char *name;
  gboolean ok = TRUE;
  while (ok && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        ok = remove_tree (child, error);
      else if (g_unlink (child) != 0 && errno != ENOENT)
        ok = set_errno_error (error, errno, "cannot remove", child);
    }
  g_dir_close (dir);
  if (ok && g_rmdir (path) != 0 && errno != ENOENT)
    ok = set_errno_error (error, errno, "cannot remove", path);
  return ok;
}

static gboolean
disk_remove_prefix (gpointer self, const char *prefix, GError **error)
{
  g_autofree char *path = disk_path (self, prefix);
  return remove_tree (path, error);
}

static void
disk_free (gpointer self)
{
  Disk *disk = self;
  g_free (disk->root);
  g_free (disk);
}

static const SdStorageBackend disk_backend = {
  .create = disk_create,
  .append = disk_append,
  .size = disk_size,
  .truncate = disk_truncate,
  .read = disk_read,
  .put = disk_put,
  .put_file = disk_put_file,
  .local_path = disk_local_path,
  .remove = disk_remove,
  .remove_prefix = disk_remove_prefix,
  .free = disk_free,
};

SdStorage *
sd_storage_new_disk (const char  *root,
                     GError     **error)
{
  if (g_mkdir_with_parents (root, 0700) != 0)
    {
      set_errno_error (error, errno, "cannot create the storage directory", root);
      return NULL;
    }
  Disk *disk = g_new0 (Disk, 1);
  disk->root = g_strdup (root);
  return sd_storage_new (&disk_backend, disk);
}
