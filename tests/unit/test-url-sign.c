/* test-url-sign.c — the URL-signing secret (made once, 0600, refused when
 * readable by others or of the wrong size) and signatures (bound to kind,
 * id, organization and expiry; expired ones refused). */
#include "auth/sd-token.h"
#include "auth/sd-url-sign.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static void
test_secret_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tandem-sign-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, SD_URL_SIGN_KEY_FILE, NULL);

  g_autoptr(GBytes) first = sd_url_sign_load_secret (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (first), ==, SD_URL_SIGN_KEY_BYTES);
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The next start reads the same secret. */
  g_autoptr(GBytes) again = sd_url_sign_load_secret (dir, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, again));

  /* Readable by others: refused. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_autoptr(GBytes) open_secret = sd_url_sign_load_secret (dir, &error);
  g_assert_null (open_secret);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM);
  g_clear_error (&error);

  /* Wrong size: refused. */
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_true (g_file_set_contents (path, "short", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_autoptr(GBytes) short_secret = sd_url_sign_load_secret (dir, &error);
  g_assert_null (short_secret);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_sign_verify (void)
{
  guint8 raw[SD_URL_SIGN_KEY_BYTES];
  sd_token_random_bytes (raw, sizeof raw);
  g_autoptr(GBytes) key = g_bytes_new (raw, sizeof raw);
  sd_token_random_bytes (raw, sizeof raw);
  g_autoptr(GBytes) other_key = g_bytes_new (raw, sizeof raw);
  const char *id = "0b8f6e4e-7a51-4d5c-9a53-6a3c2c1e9f00";
  const char *org = "5d2f0c0e-1111-4222-8333-944455566677";
  gint64 now = 1700000000, exp = now + 3600;

  g_autofree char *sig = sd_url_sign (key, "playback", id, org, exp);
  g_assert_cmpuint (strlen (sig), ==, 64);
  g_assert_true (sd_url_sign_verify (key, "playback", id, org, exp, sig, now));
  /* Any change breaks it. */
  g_assert_false (sd_url_sign_verify (other_key, "playback", id, org, exp, sig, now));
  g_assert_false (sd_url_sign_verify (key, "download", id, org, exp, sig, now));
  g_assert_false (sd_url_sign_verify (key, "playback", org, org, exp, sig, now));
  g_assert_false (sd_url_sign_verify (key, "playback", id, id, exp, sig, now));
  g_assert_false (sd_url_sign_verify (key, "playback", id, org, exp + 1, sig, now));
  g_assert_false (sd_url_sign_verify (key, "playback", id, org, exp, NULL, now));
  g_assert_false (sd_url_sign_verify (key, "playback", id, org, exp, "", now));
  /* Expired at the second it names. */
  g_assert_false (sd_url_sign_verify (key, "playback", id, org, exp, sig, exp));
  g_assert_true (sd_url_sign_verify (key, "playback", id, org, exp, sig, exp - 1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (sd_crypto_init (NULL));
  g_test_add_func ("/url-sign/secret-file", test_secret_file);
  g_test_add_func ("/url-sign/sign-verify", test_sign_verify);
  return g_test_run ();
}
