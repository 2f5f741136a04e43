/* sd-password.c — password policy and Argon2id hashing (libargon2).
 *
 * Never log a password, nor anything derived from one other than its hash.
 */
#define G_LOG_DOMAIN "sd-auth"

#include "sd-password.h"

#include "tandem-error.h"

#include <argon2.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

/* Parameters for new hashes (OWASP's recommendation for Argon2id). */
#define SD_ARGON2_M_COST    19456u   /* KiB */
#define SD_ARGON2_T_COST    2u
#define SD_ARGON2_PARALLEL  1u
#define SD_ARGON2_SALT_LEN  16u
#define SD_ARGON2_HASH_LEN  32u

/* Limits on what a stored hash may ask of us.  They are far above the
 * parameters we use, so hashes made with raised parameters still verify,
 * but a corrupt row cannot make one verification allocate gigabytes or
 * spin for minutes. */
#define SD_ARGON2_MAX_ENCODED_LEN  512u
#define SD_ARGON2_MAX_M_COST       (1024u * 1024u)   /* 1 GiB */
#define SD_ARGON2_MAX_T_COST       64u
#define SD_ARGON2_MAX_PARALLEL     64u

#define SD_COMMON_PASSWORDS_PATH "/io/github/tandem/signald/auth/common-passwords.txt"

/* --- common passwords ------------------------------------------------- */

static gpointer
load_common_passwords (G_GNUC_UNUSED gpointer data)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *text;
  const char *end;
  gsize size = 0;

  bytes = g_resources_lookup_data (SD_COMMON_PASSWORDS_PATH,
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    {
      /* A build error (resource not compiled in or not registered): loud,
       * because the policy is weaker without the list. */
      g_critical ("common password list unavailable: %s", error->message);
      return set;
    }

  text = g_bytes_get_data (bytes, &size);
  end = text + size;
  while (text < end)
    {
      const char *nl = memchr (text, '\n', (gsize) (end - text));
      const char *line_end = nl != NULL ? nl : end;
      gsize len = (gsize) (line_end - text);

      if (len > 0 && text[len - 1] == '\r')
        len--;
      if (len > 0 && g_utf8_validate (text, (gssize) len, NULL))
        g_hash_table_add (set, g_utf8_strdown (text, (gssize) len));

      text = line_end + 1;
    }

  g_debug ("loaded %u common passwords", g_hash_table_size (set));
  return set;
}

static GHashTable *
common_passwords (void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once (&once, load_common_passwords, NULL);
}

/* TRUE when @lower (valid UTF-8, already lowercased) is one character
 * repeated, or a run of consecutive digits or ASCII letters going up or down
 * ("12345678", "0987654321", "abcdefgh", "zyxwvuts").  Digit runs may wrap
 * from 9 to 0 and back. */
static gboolean
is_trivial_pattern (const char *lower)
{
  gunichar first = g_utf8_get_char (lower);
  gboolean repeated = TRUE;
  gboolean ascending = TRUE;
  gboolean descending = TRUE;
  gboolean digits = g_ascii_isdigit (first);
  gboolean letters = first < 0x80 && g_ascii_islower ((char) first);
  gunichar prev = first;
  const char *p;

  if (first == 0)
    return FALSE;

  for (p = g_utf8_next_char (lower); *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != first)
        repeated = FALSE;

      if (digits && g_ascii_isdigit (c))
        {
          int d = (int) c - '0';
          int pd = (int) prev - '0';
          if (d != (pd + 1) % 10)
            ascending = FALSE;
          if (d != (pd + 9) % 10)
            descending = FALSE;
        }
      else if (letters && c < 0x80 && g_ascii_islower ((char) c))
        {
          if (c != prev + 1)
            ascending = FALSE;
          if (c + 1 != prev)
            descending = FALSE;
        }
      else
        {
          ascending = FALSE;
          descending = FALSE;
        }

      if (!repeated && !ascending && !descending)
        return FALSE;
      prev = c;
    }

  return TRUE;
}

/* See sd-password.h.  Invalid UTF-8 is never on the list, so it is not
 * "common"; the policy refuses it separately. */
gboolean
sd_password_is_common (const char *password)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (password != NULL, FALSE);

  if (!g_utf8_validate (password, -1, NULL))
    return FALSE;

  lower = g_utf8_strdown (password, -1);
  if (is_trivial_pattern (lower))
    return TRUE;

  return g_hash_table_contains (common_passwords (), lower);
}

/* --- policy ----------------------------------------------------------- */

/* See sd-password.h.  Checks in order: present, at most
 * SD_PASSWORD_MAX_BYTES bytes, valid UTF-8, 8..128 characters, not common.
 * The first failure sets TANDEM_ERROR_WEAK_PASSWORD with a sentence that
 * can be shown to the user as it is. */
gboolean
sd_password_check_policy (const char  *password,
                          GError     **error)
{
  glong chars;

  if (password == NULL || password[0] == '\0')
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_WEAK_PASSWORD,
                           _("Please choose a password."));
      return FALSE;
    }

  if (strlen (password) > SD_PASSWORD_MAX_BYTES)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_WEAK_PASSWORD,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The password is too long: use at most %d character.",
                                "The password is too long: use at most %d characters.",
                                SD_PASSWORD_MAX_CHARS),
                   SD_PASSWORD_MAX_CHARS);
      return FALSE;
    }

  if (!g_utf8_validate (password, -1, NULL))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_WEAK_PASSWORD,
                           _("The password contains invalid characters: please type it again."));
      return FALSE;
    }

  chars = g_utf8_strlen (password, -1);
  if (chars < SD_PASSWORD_MIN_CHARS)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_WEAK_PASSWORD,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The password is too short: use at least %d character.",
                                "The password is too short: use at least %d characters.",
                                SD_PASSWORD_MIN_CHARS),
                   SD_PASSWORD_MIN_CHARS);
      return FALSE;
    }
  if (chars > SD_PASSWORD_MAX_CHARS)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_WEAK_PASSWORD,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The password is too long: use at most %d character.",
                                "The password is too long: use at most %d characters.",
                                SD_PASSWORD_MAX_CHARS),
                   SD_PASSWORD_MAX_CHARS);
      return FALSE;
    }

  if (sd_password_is_common (password))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_WEAK_PASSWORD,
                           _("This password is too common and easy to guess: please choose another one."));
      return FALSE;
    }

  return TRUE;
}

/* --- hashing ---------------------------------------------------------- */

/* See sd-password.h.  The whole password is hashed (no truncation); one
 * longer than SD_PASSWORD_MAX_BYTES is refused with
 * TANDEM_ERROR_WEAK_PASSWORD, since the policy could never have let it in.
 * Other failures (libsodium unusable, out of memory) give
 * TANDEM_ERROR_INTERNAL.  Free the result with g_free(). */
char *
sd_password_hash (const char  *password,
                  GError     **error)
{
  guint8 salt[SD_ARGON2_SALT_LEN];
  g_autofree char *encoded = NULL;
  gsize encoded_len;
  gsize password_len;
  int rc;

  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  password_len = strlen (password);
  if (password_len > SD_PASSWORD_MAX_BYTES)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_WEAK_PASSWORD,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The password is too long: use at most %d character.",
                                "The password is too long: use at most %d characters.",
                                SD_PASSWORD_MAX_CHARS),
                   SD_PASSWORD_MAX_CHARS);
      return NULL;
    }

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL,
                           "libsodium could not be initialised");
      return NULL;
    }
  randombytes_buf (salt, sizeof salt);

  encoded_len = argon2_encodedlen (SD_ARGON2_T_COST, SD_ARGON2_M_COST,
                                   SD_ARGON2_PARALLEL, SD_ARGON2_SALT_LEN,
                                   SD_ARGON2_HASH_LEN, Argon2_id);
  encoded = g_malloc0 (encoded_len);

  rc = argon2id_hash_encoded (SD_ARGON2_T_COST, SD_ARGON2_M_COST,
                              SD_ARGON2_PARALLEL, password, password_len,
                              salt, sizeof salt, SD_ARGON2_HASH_LEN,
                              encoded, encoded_len);
  sodium_memzero (salt, sizeof salt);
  if (rc != ARGON2_OK)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL,
                   "password hashing failed: %s", argon2_error_message (rc));
      return NULL;
    }

  return g_steal_pointer (&encoded);
}

/* Read the decimal number at *@p up to @max, advancing *@p past it. */
static gboolean
parse_param (const char **p,
             const char  *key,
             guint64      max,
             guint64     *out)
{
  gsize key_len = strlen (key);
  guint64 value = 0;
  const char *q;

  if (strncmp (*p, key, key_len) != 0)
    return FALSE;
  q = *p + key_len;
  if (!g_ascii_isdigit (*q))
    return FALSE;
  while (g_ascii_isdigit (*q))
    {
      value = value * 10 + (guint64) (*q - '0');
      if (value > max)
        return FALSE;
      q++;
    }
  *p = q;
  *out = value;
  return TRUE;
}

/* Is @hash an Argon2id PHC string whose cost parameters are within our
 * limits?  libargon2 checks the rest (salt, hash, base64) itself. */
static gboolean
hash_is_acceptable (const char *hash)
{
  const char *p = hash;
  guint64 v = 0, m = 0, t = 0, par = 0;
  gsize len = 0;

  while (hash[len] != '\0')
    if (++len > SD_ARGON2_MAX_ENCODED_LEN)
      return FALSE;
  if (!g_str_has_prefix (p, "$argon2id$"))
    return FALSE;
  p += strlen ("$argon2id$");

  /* The version field is optional in the PHC format (absent means 0x10). */
  if (g_str_has_prefix (p, "v="))
    {
      if (!parse_param (&p, "v=", 0xff, &v) || *p != '$')
        return FALSE;
      p++;
    }

  if (!parse_param (&p, "m=", SD_ARGON2_MAX_M_COST, &m) || *p++ != ',')
    return FALSE;
  if (!parse_param (&p, "t=", SD_ARGON2_MAX_T_COST, &t) || *p++ != ',')
    return FALSE;
  if (!parse_param (&p, "p=", SD_ARGON2_MAX_PARALLEL, &par) || *p != '$')
    return FALSE;

  return TRUE;
}

/* See sd-password.h.  FALSE for a NULL or malformed hash, a hash of another
 * algorithm, absurd cost parameters, or a password longer than
 * SD_PASSWORD_MAX_BYTES (which could never have been hashed). */
gboolean
sd_password_verify (const char *hash,
                    const char *password)
{
  gsize password_len;
  int rc;

  if (hash == NULL || password == NULL)
    return FALSE;

  password_len = strlen (password);
  if (password_len > SD_PASSWORD_MAX_BYTES)
    return FALSE;

  if (!hash_is_acceptable (hash))
    return FALSE;

  rc = argon2id_verify (hash, password, password_len);
  if (rc == ARGON2_OK)
    return TRUE;
  if (rc != ARGON2_VERIFY_MISMATCH)
    g_debug ("stored password hash rejected by libargon2: %s",
             argon2_error_message (rc));
  return FALSE;
}

static gpointer
make_dummy_hash (G_GNUC_UNUSED gpointer data)
{
  guint8 secret[32];
  char password[sodium_base64_ENCODED_LEN (sizeof secret,
                                           sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  g_autoptr(GError) error = NULL;
  char *hash;

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  randombytes_buf (secret, sizeof secret);
  sodium_bin2base64 (password, sizeof password, secret, sizeof secret,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  hash = sd_password_hash (password, &error);
  sodium_memzero (secret, sizeof secret);
  sodium_memzero (password, sizeof password);

  if (hash == NULL)
    g_error ("could not make the dummy password hash: %s", error->message);

  return hash;
}

/* See sd-password.h.  The string is owned by the module and lives as long
 * as the process.  Aborts if hashing is impossible (out of memory). */
const char *
sd_password_dummy_hash (void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once (&once, make_dummy_hash, NULL);
}
