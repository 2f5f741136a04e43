/* sd-password.h — password policy and Argon2id hashing (libargon2).
 *
 * Hashes are PHC strings ("$argon2id$v=19$m=19456,t=2,p=1$…"), so the
 * parameters can be raised later and old hashes still verify.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_PASSWORD_MIN_CHARS 8
#define SD_PASSWORD_MAX_CHARS 128
#define SD_PASSWORD_MAX_BYTES 1024

/* Check length (8..128 characters, counted in Unicode characters, used
 * whole: nothing is truncated) and refuse very common passwords.  Errors:
 * TANDEM_ERROR_WEAK_PASSWORD with a sentence for the user. */
gboolean  sd_password_check_policy (const char  *password,
                                    GError     **error);

/* Is @password (case-insensitively) on the embedded list of common
 * passwords?  The list is loaded once, thread-safely. */
gboolean  sd_password_is_common    (const char  *password);

/* Argon2id with m=19456 KiB, t=2, p=1 and a 16-byte random salt.
 * Returns the PHC string or NULL with @error set.  Slow on purpose: call it
 * off the request thread (sd_request_defer). */
char     *sd_password_hash         (const char  *password,
                                    GError     **error);

/* Verify @password against a PHC string in constant time with respect to
 * the password.  A malformed hash verifies as FALSE. */
gboolean  sd_password_verify       (const char  *hash,
                                    const char  *password);

/* A hash of a random password, made once per process: verifying against it
 * costs the same time as a real verification, so an unknown e-mail takes as
 * long as a wrong password. */
const char *sd_password_dummy_hash (void);

G_END_DECLS
