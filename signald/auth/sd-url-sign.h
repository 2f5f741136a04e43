/* sd-url-sign.h — signed, expiring URLs (video playback) that work without
 * a token: HMAC-SHA256 over what the URL grants, keyed with a server
 * secret that never leaves the data directory.
 *
 * The secret is 32 random bytes in DATA_DIR/url-signing.key (mode 0600,
 * made on first start).  Servers that share a database must share the file
 * for their URLs to work on each other. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_URL_SIGN_KEY_FILE "url-signing.key"
#define SD_URL_SIGN_KEY_BYTES 32

/* Reads the secret in @data_dir, creating it (0600) when missing.  Fails
 * when the file cannot be made or has the wrong size or mode. */
GBytes   *sd_url_sign_load_secret (const char  *data_dir,
                                   GError     **error);

/* Lowercase hex HMAC-SHA256 of "@kind\n@id\n@org_id\n@expires" with
 * @secret; never fails. */
char     *sd_url_sign             (GBytes      *secret,
                                   const char  *kind,
                                   const char  *id,
                                   const char  *org_id,
                                   gint64       expires);

/* TRUE when @signature is the signature of the other arguments and
 * @expires is later than @now.  Compares in constant time. */
gboolean  sd_url_sign_verify      (GBytes      *secret,
                                   const char  *kind,
                                   const char  *id,
                                   const char  *org_id,
                                   gint64       expires,
                                   const char  *signature,
                                   gint64       now);

G_END_DECLS
