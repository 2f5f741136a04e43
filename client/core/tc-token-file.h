/* tc-token-file.h — session tokens in $XDG_CONFIG_HOME/tandem/session.json,
 * for machines without a keyring.
 *
 * The file maps server URLs to tokens:
 *   {"sessions":{"https://tandem.example.org":{"token":"…","saved_at":"…"}}}
 * It is always written whole (atomic rename) with mode 0600, in a directory
 * created with mode 0700. */
#pragma once

#include "tc-secret.h"

G_BEGIN_DECLS

/* The file's path; free with g_free(). */
char     *tc_token_file_path   (void);

/* The token saved for @server, or NULL: without @error set when the file or
 * the entry does not exist (an unreadable or malformed file is an error).
 * Free with tc_secret_free(). */
char     *tc_token_file_lookup (const char  *server,
                                GError     **error);

/* Saves @token for @server, keeping the other servers' entries. */
gboolean  tc_token_file_store  (const char  *server,
                                const char  *token,
                                GError     **error);

/* Drops the entry of @server; removes the file when no entry is left.  TRUE
 * also when there was nothing to drop. */
gboolean  tc_token_file_clear  (const char  *server,
                                GError     **error);

G_END_DECLS
