/* tc-session.h — where the client's session lives: which server it talks to
 * and the token it signs in with.
 *
 * The server comes from, first match wins: the address the caller passes
 * (--server), $TANDEM_SERVER, the last server signed in to (client.ini in
 * $XDG_CONFIG_HOME/tandem/), then TC_SESSION_DEFAULT_SERVER.
 *
 * The token comes from $TANDEM_TOKEN when set, else from the keyring
 * (libsecret, schema "io.github.tandem.Session", attribute "server"), else
 * from the fallback file $XDG_CONFIG_HOME/tandem/session.json (mode 0600),
 * which is written only when no secret service is reachable or when
 * $TANDEM_NO_KEYRING=1.  Tokens are kept per server.
 *
 * Everything here blocks (D-Bus, files); no GTK.
 */
#pragma once

#include "tandem-api-client.h"

G_BEGIN_DECLS

#define TC_SESSION_DEFAULT_SERVER "http://127.0.0.1:8080"

/* Where a token came from or went to. */
typedef enum {
  TC_SESSION_STORE_NONE,     /* no token */
  TC_SESSION_STORE_ENV,      /* $TANDEM_TOKEN */
  TC_SESSION_STORE_KEYRING,  /* the secret service */
  TC_SESSION_STORE_FILE,     /* the fallback file */
} TcSessionStore;

#define TC_TYPE_SESSION (tc_session_get_type ())

G_DECLARE_FINAL_TYPE (TcSession, tc_session, TC, SESSION, GObject)

/* The session for @server (NULL: see the top of this file), with its token
 * already looked up.  Fails with TANDEM_ERROR_INVALID_REQUEST when the
 * chosen address is not a server URL. */
TcSession       *tc_session_new              (const char  *server,
                                              GError     **error);

/* The canonical server URL. */
const char      *tc_session_get_server       (TcSession   *self);

/* The client for the server, carrying the current token (if any).  Owned by
 * @self. */
TandemApiClient *tc_session_get_client       (TcSession   *self);

/* Whether there is a token, and where it came from. */
gboolean         tc_session_has_token        (TcSession   *self);
TcSessionStore   tc_session_get_token_source (TcSession   *self);

/* Keeps @token as the session for this server: in the keyring, or in the
 * fallback file when the keyring is off or unreachable (then *@where is
 * TC_SESSION_STORE_FILE and the caller should tell the user, once).  Also
 * remembers this server as the last one used.  The client uses @token from
 * now on, unless $TANDEM_TOKEN overrides it.  Fails only when the fallback
 * file cannot be written. */
gboolean         tc_session_store_token      (TcSession       *self,
                                              const char      *token,
                                              TcSessionStore  *where,
                                              GError         **error);

/* Removes the stored token of this server from the keyring and the file
 * (either may have none) and drops it from the client.  Fails only when
 * the fallback file cannot be rewritten. */
gboolean         tc_session_forget_token     (TcSession   *self,
                                              GError     **error);

/* Writes this server as the last one used to client.ini. */
gboolean         tc_session_remember_server  (TcSession   *self,
                                              GError     **error);

/* $XDG_CONFIG_HOME/tandem/session.json, the fallback token file. */
char            *tc_session_token_file_path  (void);

G_END_DECLS
