/* sd-token.c — opaque bearer tokens and random codes (libsodium).
 *
 * Never log a token or a code: only their hashes may appear anywhere.
 */
#define G_LOG_DOMAIN "sd-auth"

#include "sd-token.h"

#include "tandem-error.h"

#include <sodium.h>
#include <string.h>

#define SD_TOKEN_RANDOM_BYTES 32

static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/* See sd-token.h.  The result of the first call is kept: a failure is
 * reported by every call (TANDEM_ERROR_INTERNAL). */
gboolean
sd_crypto_init (GError **error)
{
  static gsize state = 0;   /* 0: not yet, 1: ok, 2: failed */

  if (g_once_init_enter (&state))
    {
      gsize result = sodium_init () < 0 ? 2 : 1;
      g_once_init_leave (&state, result);
    }

  if (state != 1)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL,
                           "libsodium could not be initialised");
      return FALSE;
    }
  return TRUE;
}

/* The functions below "never fail": without a working CSPRNG there is
 * nothing safe to return, so they abort instead. */
static void
ensure_crypto (void)
{
  g_autoptr(GError) error = NULL;

  if (!sd_crypto_init (&error))
    g_error ("%s", error->message);
}

/* See sd-token.h.  libsodium's CSPRNG; aborts if it cannot be set up. */
void
sd_token_random_bytes (guint8 *buf,
                       gsize   len)
{
  g_return_if_fail (buf != NULL || len == 0);

  if (len == 0)
    return;
  ensure_crypto ();
  randombytes_buf (buf, len);
}

/* See sd-token.h.  @prefix may be NULL or "" for none.  The result is
 * strlen(@prefix) + 43 characters; free it with g_free(). */
char *
sd_token_new (const char *prefix)
{
  guint8 raw[SD_TOKEN_RANDOM_BYTES];
  char encoded[sodium_base64_ENCODED_LEN (SD_TOKEN_RANDOM_BYTES,
                                          sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  char *token;

  sd_token_random_bytes (raw, sizeof raw);
  sodium_bin2base64 (encoded, sizeof encoded, raw, sizeof raw,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  token = g_strconcat (prefix != NULL ? prefix : "", encoded, NULL);

  sodium_memzero (raw, sizeof raw);
  sodium_memzero (encoded, sizeof encoded);
  return token;
}

/* See sd-token.h.  64 lowercase hex characters; free with g_free(). */
char *
sd_token_hash (const char *token)
{
  guint8 digest[crypto_hash_sha256_BYTES];
  char *hex;

  g_return_val_if_fail (token != NULL, NULL);

  ensure_crypto ();
  crypto_hash_sha256 (digest, (const unsigned char *) token, strlen (token));
  hex = g_malloc (crypto_hash_sha256_BYTES * 2 + 1);
  sodium_bin2hex (hex, crypto_hash_sha256_BYTES * 2 + 1, digest, sizeof digest);
  return hex;
}

/* See sd-token.h.  The time taken depends on the lengths only, never on
 * where the strings differ.  NULL equals nothing, not even NULL. */
gboolean
sd_token_equal (const char *a,
                const char *b)
{
  gsize len;

  if (a == NULL || b == NULL)
    return FALSE;

  len = strlen (a);
  if (len != strlen (b))
    return FALSE;

  return sodium_memcmp (a, b, len) == 0;
}

/* See sd-token.h.  Each character is drawn with randombytes_uniform(),
 * which rejects out-of-range values instead of reducing modulo 31.  Free
 * the result with g_free(). */
char *
sd_token_code (guint length)
{
  const guint32 alphabet_len = (guint32) (sizeof code_alphabet - 1);
  char *code = g_malloc ((gsize) length + 1);

  ensure_crypto ();
  for (guint i = 0; i < length; i++)
    code[i] = code_alphabet[randombytes_uniform (alphabet_len)];
  code[length] = '\0';
  return code;
}
