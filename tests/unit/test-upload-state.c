/* test-upload-state.c — resume records of interrupted uploads: written,
 * read back, found again by the same files, the latest one per server, and
 * changed files noticed.  Runs in a private $XDG_STATE_HOME. */
#include "tc-upload-state.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static char *tmpdir;

static char *
make_file (const char *name,
           const char *content)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  return g_steal_pointer (&path);
}

static void
test_id (void)
{
  const char *ab[] = { "/a", "/b", NULL };
  const char *ba[] = { "/b", "/a", NULL };
  const char *joined[] = { "/a/b", NULL };
  const char *split[] = { "/a", "/b", NULL };
  g_autofree char *id1 = tc_upload_state_id ("http://s", ab);
  g_autofree char *id2 = tc_upload_state_id ("http://s", ab);
  g_autofree char *id3 = tc_upload_state_id ("http://s", ba);
  g_autofree char *id4 = tc_upload_state_id ("http://t", ab);
  g_autofree char *id5 = tc_upload_state_id ("http://s", joined);
  g_autofree char *id6 = tc_upload_state_id ("http://s", split);

  g_assert_cmpstr (id1, ==, id2);
  g_assert_cmpstr (id1, !=, id3);
  g_assert_cmpstr (id1, !=, id4);
  g_assert_cmpstr (id5, !=, id6);
  g_assert_cmpuint (strlen (id1), ==, 32);
}

static void
test_save_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = make_file ("a.webm", "0123456789");
  g_autofree char *b = make_file ("b.mp4", "abc");
  const char *paths[] = { a, b, NULL };

  g_autoptr(TcUploadState) state = tc_upload_state_new ("http://127.0.0.1:1", paths, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (state->files->len, ==, 2);
  TcUploadFile *fa = g_ptr_array_index (state->files, 0);
  g_assert_cmpuint (fa->size, ==, 10);
  g_assert_cmpint (fa->mtime_us, >, 0);

  /* Nothing saved yet. */
  g_autoptr(TcUploadState) none = tc_upload_state_load (state->id, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  state->asset_id = g_strdup ("11111111-2222-3333-4444-555555555555");
  state->group_id = g_strdup ("g");
  state->name = g_strdup ("Warm-up");
  for (guint i = 0; i < state->files->len; i++)
    {
      TcUploadFile *f = g_ptr_array_index (state->files, i);
      f->video_id = g_strdup_printf ("v%u", i);
      f->upload_url = g_strdup_printf ("/uploads/%u", i);
    }
  fa->sent = TRUE;
  g_assert_true (tc_upload_state_save (state, &error));
  g_assert_no_error (error);

  /* Private file in a private directory. */
  g_autofree char *dir = tc_upload_state_dir ();
  g_autofree char *name = g_strconcat (state->id, ".json", NULL);
  g_autofree char *file = g_build_filename (dir, name, NULL);
  GStatBuf st;
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0700);

  g_autofree char *id = tc_upload_state_id ("http://127.0.0.1:1", paths);
  g_autoptr(TcUploadState) back = tc_upload_state_load (id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpstr (back->asset_id, ==, state->asset_id);
  g_assert_cmpstr (back->name, ==, "Warm-up");
  g_assert_null (back->description);
  g_assert_cmpuint (back->files->len, ==, 2);
  TcUploadFile *ba = g_ptr_array_index (back->files, 0);
  TcUploadFile *bb = g_ptr_array_index (back->files, 1);
  g_assert_cmpstr (ba->path, ==, a);
  g_assert_true (ba->sent);
  g_assert_false (bb->sent);
  g_assert_cmpstr (bb->upload_url, ==, "/uploads/1");
  g_assert_cmpuint (bb->size, ==, 3);
  g_assert_cmpint (ba->mtime_us, ==, fa->mtime_us);

  /* Unchanged until the file changes. */
  g_assert_true (tc_upload_file_unchanged (ba, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (a, "0123456789X", -1, NULL));
  g_assert_false (tc_upload_file_unchanged (ba, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_unlink (b);
  g_assert_false (tc_upload_file_unchanged (bb, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Removed, and removing again is fine. */
  g_assert_true (tc_upload_state_remove (back, &error));
  g_assert_true (tc_upload_state_remove (back, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
}

static void
test_latest (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = make_file ("one.webm", "1");
  g_autofree char *b = make_file ("two.webm", "22");
  const char *pa[] = { a, NULL };
  const char *pb[] = { b, NULL };

  g_autoptr(TcUploadState) none = tc_upload_state_latest ("http://latest", &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_autoptr(TcUploadState) first = tc_upload_state_new ("http://latest", pa, &error);
  first->asset_id = g_strdup ("first");
  ((TcUploadFile *) g_ptr_array_index (first->files, 0))->upload_url = g_strdup ("/u/1");
  g_assert_true (tc_upload_state_save (first, &error));
  g_autoptr(TcUploadState) second = tc_upload_state_new ("http://latest", pb, &error);
  second->asset_id = g_strdup ("second");
  ((TcUploadFile *) g_ptr_array_index (second->files, 0))->upload_url = g_strdup ("/u/2");
  g_assert_true (tc_upload_state_save (second, &error));
  /* updated_at has a resolution of a second: make "first" clearly older. */
  first->updated_at = 0;
  {
    g_autofree char *dir = tc_upload_state_dir ();
    g_autofree char *name = g_strconcat (first->id, ".json", NULL);
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_autoptr(GRegex) re = g_regex_new ("\"updated_at\" : [0-9]+", 0, 0, NULL);
    g_autofree char *older = g_regex_replace_literal (re, text, -1, 0, "\"updated_at\" : 1", 0, NULL);
    g_assert_true (g_file_set_contents (path, older, -1, NULL));
  }
  /* A damaged record and another server's record are skipped. */
  {
    g_autofree char *dir = tc_upload_state_dir ();
    g_autofree char *junk = g_build_filename (dir, "junk.json", NULL);
    g_assert_true (g_file_set_contents (junk, "{not json", -1, NULL));
    g_autoptr(GError) junk_error = NULL;
    g_autoptr(TcUploadState) damaged = tc_upload_state_load ("junk", &junk_error);
    g_assert_null (damaged);
    g_assert_error (junk_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }
  g_autoptr(TcUploadState) other = tc_upload_state_new ("http://elsewhere", pa, &error);
  other->asset_id = g_strdup ("other");
  ((TcUploadFile *) g_ptr_array_index (other->files, 0))->upload_url = g_strdup ("/u/3");
  g_assert_true (tc_upload_state_save (other, &error));

  g_autoptr(TcUploadState) latest = tc_upload_state_latest ("http://latest", &error);
  g_assert_no_error (error);
  g_assert_nonnull (latest);
  g_assert_cmpstr (latest->asset_id, ==, "second");

  g_assert_true (tc_upload_state_remove (second, NULL));
  g_autoptr(TcUploadState) then = tc_upload_state_latest ("http://latest", &error);
  g_assert_cmpstr (then->asset_id, ==, "first");
}

static void
test_not_a_file (void)
{
  g_autoptr(GError) error = NULL;
  const char *dir[] = { tmpdir, NULL };
  g_autofree char *missing_path = g_build_filename (tmpdir, "missing.webm", NULL);
  const char *missing[] = { missing_path, NULL };

  g_assert_null (tc_upload_state_new ("http://s", dir, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);
  g_assert_null (tc_upload_state_new ("http://s", missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  tmpdir = g_dir_make_tmp ("tandem-upload-state-XXXXXX", NULL);
  g_autofree char *state_home = g_build_filename (tmpdir, "state", NULL);
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Client/UploadState/id", test_id);
  g_test_add_func ("/Client/UploadState/save-load", test_save_load);
  g_test_add_func ("/Client/UploadState/latest", test_latest);
  g_test_add_func ("/Client/UploadState/not-a-file", test_not_a_file);
  int status = g_test_run ();
  rm_rf (tmpdir);
  g_free (tmpdir);
  return status;
}
