/* tc-keyring.h — session tokens in the desktop keyring (libsecret): one
 * secret per server, schema "io.github.tandem.Session", attribute "server".
 *
 * Calls block on D-Bus.  An error means the secret service could not be
 * used (no session bus, no service, locked and no prompt possible), which
 * callers treat as "no keyring here". */
#pragma once

#include "tc-secret.h"

G_BEGIN_DECLS

/* TRUE when $TANDEM_NO_KEYRING asks to leave the keyring alone (set and
 * neither empty nor "0"). */
gboolean  tc_keyring_disabled (void);

/* The token stored for @server, or NULL: without @error set when none is
 * stored.  Free the result with tc_secret_free(). */
char     *tc_keyring_lookup   (const char  *server,
                               GError     **error);

/* Stores @token for @server, replacing an older one. */
gboolean  tc_keyring_store    (const char  *server,
                               const char  *token,
                               GError     **error);

/* Removes the token of @server; TRUE also when there was none. */
gboolean  tc_keyring_clear    (const char  *server,
                               GError     **error);

G_END_DECLS
