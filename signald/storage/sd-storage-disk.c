/* sd-storage-disk.c — the disk backend of sd-storage.h: each key is a file
 * under the root directory (DATA_DIR/media), directories made as needed
 * (mode 0700, files 0600).
 *
 * Durability: append, truncate and writer_sync fsync the file; creating a
 * file fsyncs its directory; put and put_file write a hidden temporary file
 * next to the target (keys cannot start a segment with '.', so it never
 * collides with an object), fsync it, rename it over the target and fsync
 * the directory, so a reader sees the old object or the new one.
 *
 * Writers buffer 512 KiB before each write(2), start the kernel's writeback
 * every 8 MiB (sync_file_range) so that the final fdatasync has little left
 * to do, and hold an flock(2) on the file so that two writers of one object,
 * in this process or another, exclude each other. */
#define G_LOG_DOMAIN "sd-storage"

#include "storage/sd-storage.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define WRITER_BUFFER   (512 * 1024)
#define WRITEBACK_EVERY (8 * 1024 * 1024)

typedef struct {
  char *root;
} Disk;

typedef struct {
  int fd;
  char *key;
  guint8 *buf;
  gsize buf_len;
  goffset file_offset;   /* bytes in the file, not counting the buffer */
  goffset kicked;        /* writeback started up to here */
} DiskWriter;

/* ---- helpers ---- */

static gboolean
errno_error (GError     **error,
             int          saved,
             const char  *what,
             const char  *key)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "storage: cannot %s “%s”: %s", what, key, g_strerror (saved));
  return FALSE;
}

static char *
key_path (Disk       *d,
          const char *key)
{
  return g_build_filename (d->root, key, NULL);
}

static gboolean
make_parents (const char  *path,
              const char  *key,
              GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return errno_error (error, errno, "make the directory of", key);
  return TRUE;
}

/* fsync the directory holding @path, so a new name in it is durable. */
static gboolean
sync_parent (const char  *path,
             const char  *key,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return errno_error (error, errno, "open the directory of", key);
  int rc = fsync (fd);
  int saved = errno;
  close (fd);
  if (rc != 0)
    return errno_error (error, saved, "sync the directory of", key);
  return TRUE;
}

static gboolean
write_all (int          fd,
           const void  *data,
           gsize        len,
           const char  *key,
           GError     **error)
{
  const guint8 *p = data;
  while (len > 0)
    {
      ssize_t n = write (fd, p, len);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return errno_error (error, errno, "write", key);
        }
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static gboolean
close_checked (int          fd,
               const char  *key,
               GError     **error)
{
  if (close (fd) != 0 && errno != EINTR)
    return errno_error (error, errno, "close", key);
  return TRUE;
}

/* Makes @path a new hidden temporary file next to it, filled by @fill,
 * synced and renamed over @path; the directory is synced last. */
typedef gboolean (*FillFunc) (int fd, gpointer data, const char *key, GError **error);

static gboolean
replace_atomically (const char  *path,
                    const char  *key,
                    FillFunc     fill,
                    gpointer     data,
                    GError     **error)
{
  if (!make_parents (path, key, error))
    return FALSE;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp = g_strdup_printf ("%s/.%s.tmp-XXXXXX", dir, base);
  int fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return errno_error (error, errno, "create a temporary file for", key);

  if (!fill (fd, data, key, error))
    goto fail;
  if (fsync (fd) != 0)
    {
      errno_error (error, errno, "sync", key);
      goto fail;
    }
  if (!close_checked (fd, key, error))
    {
      fd = -1;
      goto fail;
    }
  fd = -1;
  if (rename (tmp, path) != 0)
    {
      errno_error (error, errno, "rename into place", key);
      goto fail;
    }
  return sync_parent (path, key, error);

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return FALSE;
}

/* ---- whole objects ---- */

static gboolean
disk_create (gpointer     self,
             const char  *key,
             GError     **error)
{
  g_autofree char *path = key_path (self, key);
  if (!make_parents (path, key, error))
    return FALSE;
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return errno_error (error, errno, "create", key);
  if (fsync (fd) != 0)
    {
      int saved = errno;
      close (fd);
      return errno_error (error, saved, "sync", key);
    }
  return close_checked (fd, key, error) && sync_parent (path, key, error);
}

static gboolean
disk_append (gpointer     self,
             const char  *key,
             goffset      offset,
             const void  *data,
             gsize        len,
             GError     **error)
{
  g_autofree char *path = key_path (self, key);
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return errno_error (error, errno, "open", key);

  struct stat st;
  gboolean ok = FALSE;
  if (fstat (fd, &st) != 0)
    errno_error (error, errno, "inspect", key);
  else if (st.st_size != offset)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "storage: “%s” holds %" G_GOFFSET_FORMAT " bytes, not %" G_GOFFSET_FORMAT,
                 key, (goffset) st.st_size, offset);
  else if (lseek (fd, offset, SEEK_SET) < 0)
    errno_error (error, errno, "seek in", key);
  else if (!write_all (fd, data, len, key, error))
    ;
  else if (fdatasync (fd) != 0)
    errno_error (error, errno, "sync", key);
  else
    ok = TRUE;
  if (!ok)
    {
      close (fd);
      return FALSE;
    }
  return close_checked (fd, key, error);
}

static goffset
disk_size (gpointer     self,
           const char  *key,
           GError     **error)
{
  g_autofree char *path = key_path (self, key);
  struct stat st;
  if (stat (path, &st) != 0)
    {
      errno_error (error, errno, "find", key);
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "storage: “%s” is not an object", key);
      return -1;
    }
  return st.st_size;
}

static gboolean
disk_truncate (gpointer     self,
               const char  *key,
               goffset      size,
               GError     **error)
{
  g_autofree char *path = key_path (self, key);
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return errno_error (error, errno, "open", key);
  if (ftruncate (fd, size) != 0 || fdatasync (fd) != 0)
    {
      int saved = errno;
      close (fd);
      return errno_error (error, saved, "truncate", key);
    }
  return close_checked (fd, key, error);
}

static GInputStream *
disk_read (gpointer     self,
           const char  *key,
           goffset      offset,
           GError     **error)
{
  g_autofree char *path = key_path (self, key);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  if (in == NULL)
    return NULL;
  if (offset > 0 && !g_seekable_seek (G_SEEKABLE (in), offset, G_SEEK_SET, NULL, error))
    return NULL;
  return G_INPUT_STREAM (g_steal_pointer (&in));
}

static gboolean
fill_bytes (int          fd,
            gpointer     data,
            const char  *key,
            GError     **error)
{
  gsize size = 0;
  const void *p = g_bytes_get_data (data, &size);
  return write_all (fd, p, size, key, error);
}

static gboolean
disk_put (gpointer     self,
          const char  *key,
          GBytes      *bytes,
          GError     **error)
{
  g_autofree char *path = key_path (self, key);
  return replace_atomically (path, key, fill_bytes, bytes, error);
}

static gboolean
fill_copy (int          fd,
           gpointer     data,
           const char  *key,
           GError     **error)
{
  const char *src = data;
  int in = open (src, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return errno_error (error, errno, "read the source of", key);
  g_autofree guint8 *buf = g_malloc (WRITER_BUFFER);
  gboolean ok = TRUE;
  for (;;)
    {
      ssize_t n = read (in, buf, WRITER_BUFFER);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          ok = errno_error (error, errno, "read the source of", key);
          break;
        }
      if (n == 0)
        break;
      if (!write_all (fd, buf, (gsize) n, key, error))
        {
          ok = FALSE;
          break;
        }
    }
  close (in);
  return ok;
}

static gboolean
disk_put_file (gpointer     self,
               const char  *key,
               const char  *src,
               GError     **error)
{
  g_autofree char *path = key_path (self, key);
  if (!make_parents (path, key, error))
    return FALSE;

  /* The source may not be durable yet: sync it before it takes the name. */
  int fd = open (src, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno_error (error, errno, "open the source of", key);
  int rc = fsync (fd);
  int saved = errno;
  close (fd);
  if (rc != 0)
    return errno_error (error, saved, "sync the source of", key);

  if (rename (src, path) == 0)
    return sync_parent (path, key, error);
  if (errno != EXDEV)
    return errno_error (error, errno, "move into place", key);

  /* Another file system: copy, then remove the source. */
  if (!replace_atomically (path, key, fill_copy, (gpointer) src, error))
    return FALSE;
  g_unlink (src);
  return TRUE;
}

static char *
disk_local_path (gpointer     self,
                 const char  *key,
                 gboolean    *is_temp,
                 GError     **error)
{
  char *path = key_path (self, key);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "storage: no object “%s”", key);
      g_free (path);
      return NULL;
    }
  *is_temp = FALSE;
  return path;
}

static gboolean
disk_remove (gpointer     self,
             const char  *key,
             GError     **error)
{
  g_autofree char *path = key_path (self, key);
  if (unlink (path) != 0 && errno != ENOENT)
    return errno_error (error, errno, "remove", key);
  return TRUE;
}

static gboolean
remove_tree (const char  *path,
             const char  *key,
             GError     **error)
{
  g_autoptr(GError) local = NULL;
  GDir *dir = g_dir_open (path, 0, &local);
  if (dir == NULL)
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "storage: cannot list “%s”: %s", key,
                   local->message);
      return FALSE;
    }
  gboolean ok = TRUE;
  const char *name;
  while (ok && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      struct stat st;
      if (lstat (child, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        ok = remove_tree (child, key, error);
      else if (unlink (child) != 0 && errno != ENOENT)
        ok = errno_error (error, errno, "remove a file under", key);
    }
  g_dir_close (dir);
  if (ok && rmdir (path) != 0 && errno != ENOENT)
    ok = errno_error (error, errno, "remove the directory", key);
  return ok;
}

static gboolean
disk_remove_prefix (gpointer     self,
                    const char  *prefix,
                    GError     **error)
{
  g_autofree char *path = key_path (self, prefix);
  struct stat st;
  if (lstat (path, &st) != 0 || !S_ISDIR (st.st_mode))
    return TRUE;    /* no object lives under prefix/ */
  return remove_tree (path, prefix, error);
}

/* ---- writers ---- */

static gboolean
writer_flush (DiskWriter  *w,
              GError     **error)
{
  if (w->buf_len == 0)
    return TRUE;
  if (!write_all (w->fd, w->buf, w->buf_len, w->key, error))
    return FALSE;
  w->file_offset += (goffset) w->buf_len;
  w->buf_len = 0;
#ifdef SYNC_FILE_RANGE_WRITE
  if (w->file_offset - w->kicked >= WRITEBACK_EVERY)
    {
      /* Only starts writeback; failures show up at the next fdatasync. */
      (void) sync_file_range (w->fd, w->kicked, w->file_offset - w->kicked, SYNC_FILE_RANGE_WRITE);
      w->kicked = w->file_offset;
    }
#endif
  return TRUE;
}

static void
disk_writer_close (gpointer writer)
{
  DiskWriter *w = writer;
  if (w == NULL)
    return;
  if (w->fd >= 0)
    close (w->fd);      /* also drops the flock */
  g_free (w->buf);
  g_free (w->key);
  g_free (w);
}

static gpointer
disk_writer_open (gpointer     self,
                  const char  *key,
                  goffset      offset,
                  GError     **error)
{
  g_autofree char *path = key_path (self, key);
  DiskWriter *w = g_new0 (DiskWriter, 1);
  w->key = g_strdup (key);
  w->fd = open (path, O_WRONLY | O_CLOEXEC);
  if (w->fd < 0 && errno == ENOENT && offset == 0)
    {
      if (!make_parents (path, key, error))
        goto fail;
      w->fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
      if (w->fd >= 0 && !sync_parent (path, key, error))
        goto fail;
    }
  if (w->fd < 0)
    {
      if (errno == ENOENT)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "storage: “%s” is missing but should hold %" G_GOFFSET_FORMAT " bytes", key, offset);
      else
        errno_error (error, errno, "open", key);
      goto fail;
    }
  if (flock (w->fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno == EWOULDBLOCK)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "storage: “%s” is being written", key);
      else
        errno_error (error, errno, "lock", key);
      goto fail;
    }

  struct stat st;
  if (fstat (w->fd, &st) != 0)
    {
      errno_error (error, errno, "inspect", key);
      goto fail;
    }
  if (st.st_size < offset)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "storage: “%s” holds %" G_GOFFSET_FORMAT " bytes, fewer than %" G_GOFFSET_FORMAT,
                   key, (goffset) st.st_size, offset);
      goto fail;
    }
  /* Bytes past @offset were never promised to anybody: drop them. */
  if ((st.st_size > offset && ftruncate (w->fd, offset) != 0) ||
      lseek (w->fd, offset, SEEK_SET) < 0)
    {
      errno_error (error, errno, "position the writer of", key);
      goto fail;
    }
  w->buf = g_malloc (WRITER_BUFFER);
  w->file_offset = offset;
  w->kicked = offset;
  return w;

fail:
  disk_writer_close (w);
  return NULL;
}

static gboolean
disk_writer_write (gpointer     writer,
                   const void  *data,
                   gsize        len,
                   GError     **error)
{
  DiskWriter *w = writer;
  const guint8 *p = data;

  while (len > 0)
    {
      if (w->buf_len == 0 && len >= WRITER_BUFFER)
        {
          /* Large pieces skip the copy. */
          if (!write_all (w->fd, p, len, w->key, error))
            return FALSE;
          w->file_offset += (goffset) len;
          return TRUE;
        }
      gsize n = MIN (WRITER_BUFFER - w->buf_len, len);
      memcpy (w->buf + w->buf_len, p, n);
      w->buf_len += n;
      p += n;
      len -= n;
      if (w->buf_len == WRITER_BUFFER && !writer_flush (w, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
disk_writer_sync (gpointer   writer,
                  GError   **error)
{
  DiskWriter *w = writer;
  if (!writer_flush (w, error))
    return FALSE;
  if (fdatasync (w->fd) != 0)
    return errno_error (error, errno, "sync", w->key);
  return TRUE;
}

static gboolean
disk_writer_truncate (gpointer     writer,
                      goffset      size,
                      GError     **error)
{
  DiskWriter *w = writer;
  if (!writer_flush (w, error))
    return FALSE;
  if (ftruncate (w->fd, size) != 0 || lseek (w->fd, size, SEEK_SET) < 0 || fdatasync (w->fd) != 0)
    return errno_error (error, errno, "truncate", w->key);
  w->file_offset = size;
  w->kicked = MIN (w->kicked, size);
  return TRUE;
}

/* ---- the backend ---- */

static void
disk_free (gpointer self)
{
  Disk *d = self;
  g_free (d->root);
  g_free (d);
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
  .writer_open = disk_writer_open,
  .writer_write = disk_writer_write,
  .writer_sync = disk_writer_sync,
  .writer_truncate = disk_writer_truncate,
  .writer_close = disk_writer_close,
  .free = disk_free,
};

SdStorage *
sd_storage_new_disk (const char  *root,
                     GError     **error)
{
  if (g_mkdir_with_parents (root, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create the media directory %s: %s", root, g_strerror (saved));
      return NULL;
    }
  Disk *d = g_new0 (Disk, 1);
  d->root = g_canonicalize_filename (root, NULL);
  return sd_storage_new (&disk_backend, d);
}
