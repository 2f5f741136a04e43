/* test-storage.c — the storage interface on its disk backend: key rules,
 * whole objects (create, append at an offset, size, truncate, read, atomic
 * put and put_file, local paths, remove, remove by prefix) and streaming
 * writers (exclusive, positioned, cut back to the last durable offset when
 * reopened — the way a crash between write and sync is recovered). */
#include "storage/sd-storage.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  char *root;
  SdStorage *storage;
} Fixture;

static void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            rm_rf (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("sd-storage-XXXXXX", &error);
  g_assert_no_error (error);
  f->root = g_build_filename (tmp, "media", NULL);
  f->storage = sd_storage_new_disk (f->root, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (f->root, G_FILE_TEST_IS_DIR));
}

static void
teardown (Fixture *f, gconstpointer data)
{
  sd_storage_free (f->storage);
  g_autofree char *tmp = g_path_get_dirname (f->root);
  rm_rf (tmp);
  g_free (f->root);
}

static GBytes *
read_all (SdStorage  *storage,
          const char *key,
          goffset     offset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) in = sd_storage_read (storage, key, offset, &error);
  g_assert_no_error (error);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
assert_content (SdStorage  *storage,
                const char *key,
                const char *expected)
{
  g_autoptr(GBytes) got = read_all (storage, key, 0);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), expected, strlen (expected));
}

/* Names of the files in @dir (no temporaries left behind). */
static guint
count_entries (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  if (d == NULL)
    return 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

static void
test_keys (void)
{
  const char *good[] = { "a", "org/uploads/5b1e-9", "x/y/thumb.jpg", "a_b-c.d/e", NULL };
  const char *bad[] = { "", "/abs", "a//b", "a/", "../x", "a/../b", "a/./b", ".hidden", "a/.tmp",
                        "A", "a b", "a\\b", "é", "a/b?", NULL };
  for (guint i = 0; good[i] != NULL; i++)
    g_assert_true (sd_storage_key_valid (good[i]));
  for (guint i = 0; bad[i] != NULL; i++)
    {
      if (sd_storage_key_valid (bad[i]))
        g_error ("“%s” should not be a valid key", bad[i]);
    }
  g_assert_false (sd_storage_key_valid (NULL));
  g_autofree char *long_key = g_strnfill (513, 'a');
  g_assert_false (sd_storage_key_valid (long_key));
  long_key[512] = '\0';
  g_assert_true (sd_storage_key_valid (long_key));
}

static void
test_invalid_keys_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_assert_false (sd_storage_create (f->storage, "../escape", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_autoptr(GBytes) b = g_bytes_new_static ("x", 1);
  g_assert_false (sd_storage_put (f->storage, "a/../../x", b, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (sd_storage_writer_open (f->storage, "/etc/passwd", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (sd_storage_remove_prefix (f->storage, "", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_autofree char *outside = g_build_filename (f->root, "..", "escape", NULL);
  g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));
}

static void
test_objects (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *key = "org1/uploads/u1";

  g_assert_cmpint (sd_storage_size (f->storage, key, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (sd_storage_create (f->storage, key, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sd_storage_size (f->storage, key, &error), ==, 0);
  g_assert_true (sd_storage_append (f->storage, key, 0, "hello ", 6, &error));
  g_assert_true (sd_storage_append (f->storage, key, 6, "world", 5, &error));
  g_assert_no_error (error);
  /* The offset must be the current size. */
  g_assert_false (sd_storage_append (f->storage, key, 5, "x", 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_cmpint (sd_storage_size (f->storage, key, &error), ==, 11);
  assert_content (f->storage, key, "hello world");
  g_autoptr(GBytes) tail = read_all (f->storage, key, 6);
  g_assert_cmpmem (g_bytes_get_data (tail, NULL), g_bytes_get_size (tail), "world", 5);

  g_assert_true (sd_storage_truncate (f->storage, key, 5, &error));
  assert_content (f->storage, key, "hello");

  gboolean is_temp = TRUE;
  g_autofree char *path = sd_storage_local_path (f->storage, key, &is_temp, &error);
  g_assert_no_error (error);
  g_assert_false (is_temp);
  g_assert_true (g_str_has_prefix (path, f->root));
  g_autofree char *content = NULL;
  g_file_get_contents (path, &content, NULL, &error);
  g_assert_cmpstr (content, ==, "hello");

  /* create truncates. */
  g_assert_true (sd_storage_create (f->storage, key, &error));
  g_assert_cmpint (sd_storage_size (f->storage, key, &error), ==, 0);

  g_assert_true (sd_storage_remove (f->storage, key, &error));
  g_assert_true (sd_storage_remove (f->storage, key, &error));   /* missing is fine */
  g_assert_no_error (error);
  g_assert_null (sd_storage_local_path (f->storage, key, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (sd_storage_read (f->storage, key, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_put (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *key = "org1/videos/v1/thumb.jpg";
  g_autoptr(GBytes) one = g_bytes_new_static ("first picture", 13);
  g_autoptr(GBytes) two = g_bytes_new_static ("second", 6);

  g_assert_true (sd_storage_put (f->storage, key, one, &error));
  assert_content (f->storage, key, "first picture");
  g_assert_true (sd_storage_put (f->storage, key, two, &error));
  g_assert_no_error (error);
  assert_content (f->storage, key, "second");
  /* The temporary file was renamed into place: only the object is there. */
  g_autofree char *dir = g_build_filename (f->root, "org1", "videos", "v1", NULL);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  /* put_file moves a file in; the source is gone afterwards. */
  g_autofree char *src = g_build_filename (f->root, "..", "transcode.webm", NULL);
  g_file_set_contents (src, "webm bytes", -1, &error);
  g_assert_no_error (error);
  g_assert_true (sd_storage_put_file (f->storage, "org1/videos/v1/play.webm", src, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (src, G_FILE_TEST_EXISTS));
  assert_content (f->storage, "org1/videos/v1/play.webm", "webm bytes");

  /* remove_prefix removes what is under prefix/, nothing beside it. */
  g_autoptr(GBytes) other = g_bytes_new_static ("keep", 4);
  g_assert_true (sd_storage_put (f->storage, "org1/videos/v10/thumb.jpg", other, &error));
  g_assert_true (sd_storage_remove_prefix (f->storage, "org1/videos/v1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sd_storage_size (f->storage, key, &error), ==, -1);
  g_clear_error (&error);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  assert_content (f->storage, "org1/videos/v10/thumb.jpg", "keep");
  g_assert_true (sd_storage_remove_prefix (f->storage, "org1/videos/none", &error));
  g_assert_no_error (error);
}

static void
test_writer (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *key = "org2/uploads/big";
  g_autoptr(GChecksum) expected = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *block = g_malloc (100 * 1000);

  /* Offset 0 creates the object. */
  SdStorageWriter *w = sd_storage_writer_open (f->storage, key, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (w);

  /* A second writer of the same object is refused while the first lives. */
  g_assert_null (sd_storage_writer_open (f->storage, key, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);

  /* Pieces of odd sizes, some larger than the writer's buffer. */
  gsize total = 0;
  for (guint i = 0; i < 40; i++)
    {
      gsize n = (i % 7 == 0) ? 100 * 1000 : 8192 + i * 37;
      for (gsize j = 0; j < n; j++)
        block[j] = (guint8) (i * 31 + j);
      g_assert_true (sd_storage_writer_write (w, block, n, &error));
      g_checksum_update (expected, block, (gssize) n);
      total += n;
    }
  g_assert_no_error (error);
  g_assert_cmpint (sd_storage_writer_offset (w), ==, (goffset) total);
  g_assert_true (sd_storage_writer_sync (w, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sd_storage_size (f->storage, key, &error), ==, (goffset) total);
  sd_storage_writer_close (w);

  g_autoptr(GBytes) got = read_all (f->storage, key, 0);
  g_autofree char *got_sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, got);
  g_assert_cmpstr (got_sum, ==, g_checksum_get_string (expected));

  /* Opening past the end is refused; a missing object too, unless at 0. */
  g_assert_null (sd_storage_writer_open (f->storage, key, (goffset) total + 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (sd_storage_writer_open (f->storage, "org2/uploads/none", 5, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
}

/* A writer that wrote but never synced (the process died, or the client
 * went away) leaves bytes nobody was promised; reopening at the last
 * durable offset drops them, and truncate drops a rejected piece. */
static void
test_writer_recovery (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *key = "org3/uploads/u";

  SdStorageWriter *w = sd_storage_writer_open (f->storage, key, 0, &error);
  g_assert_true (sd_storage_writer_write (w, "durable|", 8, &error));
  g_assert_true (sd_storage_writer_sync (w, &error));
  g_assert_true (sd_storage_writer_write (w, "not promised", 12, &error));
  g_assert_true (sd_storage_writer_sync (w, &error));   /* on disk, but the offset stayed 8 */
  g_assert_no_error (error);
  sd_storage_writer_close (w);
  g_assert_cmpint (sd_storage_size (f->storage, key, &error), ==, 20);

  w = sd_storage_writer_open (f->storage, key, 8, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_storage_size (f->storage, key, &error), ==, 8);
  g_assert_true (sd_storage_writer_write (w, "bad chunk", 9, &error));
  g_assert_true (sd_storage_writer_truncate (w, 8, &error));
  g_assert_cmpint (sd_storage_writer_offset (w), ==, 8);
  g_assert_true (sd_storage_writer_write (w, "good", 4, &error));
  g_assert_true (sd_storage_writer_sync (w, &error));
  g_assert_no_error (error);
  sd_storage_writer_close (w);
  assert_content (f->storage, key, "durable|good");

  /* Closing releases the lock. */
  w = sd_storage_writer_open (f->storage, key, 12, &error);
  g_assert_no_error (error);
  sd_storage_writer_close (w);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Storage/keys", test_keys);
  g_test_add ("/Storage/invalid-keys-refused", Fixture, NULL, setup, test_invalid_keys_refused, teardown);
  g_test_add ("/Storage/objects", Fixture, NULL, setup, test_objects, teardown);
  g_test_add ("/Storage/put", Fixture, NULL, setup, test_put, teardown);
  g_test_add ("/Storage/writer", Fixture, NULL, setup, test_writer, teardown);
  g_test_add ("/Storage/writer-recovery", Fixture, NULL, setup, test_writer_recovery, teardown);
  return g_test_run ();
}
