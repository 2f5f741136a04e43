/* sd-url-sign.c — the URL-signing secret and HMAC-SHA256 signatures. */
#define G_LOG_DOMAIN "sd-url-sign"

#include "auth/sd-url-sign.h"
#include "auth/sd-token.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static GBytes *
read_secret (const char  *path,
             GError     **error)
{
  struct stat st;
  if (stat (path, &st) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot read %s: %s",
                   path, g_strerror (errno));
      return NULL;
    }
  if ((st.st_mode & 077) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   "%s is readable by others; make it mode 0600", path);
      return NULL;
    }
  char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  if (len != SD_URL_SIGN_KEY_BYTES)
    {
      g_free (data);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s must hold %d bytes", path,
                   SD_URL_SIGN_KEY_BYTES);
      return NULL;
    }
  return g_bytes_new_take (data, len);
}

GBytes *
sd_url_sign_load_secret (const char  *data_dir,
                         GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, SD_URL_SIGN_KEY_FILE, NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot create %s: %s",
                   path, g_strerror (errno));
      return NULL;
    }
  if (fd >= 0)
    {
      guint8 key[SD_URL_SIGN_KEY_BYTES];
      sd_token_random_bytes (key, sizeof key);
      gboolean ok = write (fd, key, sizeof key) == (ssize_t) sizeof key && fsync (fd) == 0;
      int saved = errno;
      memset (key, 0, sizeof key);
      close (fd);
      if (!ok)
        {
          unlink (path);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot write %s: %s",
                       path, g_strerror (saved));
          return NULL;
        }
    }
  return read_secret (path, error);
}

char *
sd_url_sign (GBytes      *secret,
             const char  *kind,
             const char  *id,
             const char  *org_id,
             gint64       expires)
{
  gsize key_len = 0;
  const guchar *key = g_bytes_get_data (secret, &key_len);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  g_autofree char *message = g_strdup_printf ("%s\n%s\n%s\n%" G_GINT64_FORMAT, kind, id, org_id, expires);
  g_hmac_update (hmac, (const guchar *) message, (gssize) strlen (message));
  return g_strdup (g_hmac_get_string (hmac));
}

gboolean
sd_url_sign_verify (GBytes      *secret,
                    const char  *kind,
                    const char  *id,
                    const char  *org_id,
                    gint64       expires,
                    const char  *signature,
                    gint64       now)
{
  if (signature == NULL || id == NULL || org_id == NULL || expires <= now)
    return FALSE;
  g_autofree char *expected = sd_url_sign (secret, kind, id, org_id, expires);
  return sd_token_equal (expected, signature);
}
