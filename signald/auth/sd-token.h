/* sd-token.h — opaque bearer tokens and random codes.
 *
 * A token is a prefix plus 32 random bytes (256 bits, libsodium's CSPRNG) in
 * unpadded base64url: "tds_…" for sessions, "tdk_…" for API tokens.  Only
 * the SHA-256 (hex) of a token is stored.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_TOKEN_PREFIX_SESSION "tds_"
#define SD_TOKEN_PREFIX_API     "tdk_"

/* Initialise libsodium; call once at start (thread-safe, idempotent). */
gboolean  sd_crypto_init          (GError **error);

/* A new token with @prefix; never fails. */
char     *sd_token_new            (const char *prefix);

/* Lowercase hex SHA-256 of @token; never fails. */
char     *sd_token_hash           (const char *token);

/* Constant-time comparison of two equal-length strings; FALSE when the
 * lengths differ. */
gboolean  sd_token_equal          (const char *a,
                                   const char *b);

/* A code of @length characters drawn uniformly (no modulo bias) from the
 * unambiguous alphabet "23456789ABCDEFGHJKMNPQRSTUVWXYZ" (no 0/O, 1/I/L). */
char     *sd_token_code           (guint length);

/* Fill @buf with cryptographically random bytes. */
void      sd_token_random_bytes   (guint8 *buf,
                                   gsize   len);

G_END_DECLS
