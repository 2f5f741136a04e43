/* tg-session.h — the desktop app's sign-in state: which server, which
 * account (GET /auth/me), and the API client that carries its token.
 *
 * Tokens are kept like the terminal client keeps them (tc-keyring.h: the
 * keyring through libsecret, else the 0600 file of tc-token-file.h), so
 * both clients share a session per server.  Every keyring or file access
 * runs on a worker thread and every HTTP call is asynchronous: nothing
 * here blocks the main loop.
 *
 * tg_session_call_async() is the one way views talk to the server: when
 * the server says the token is no longer valid (401), the session drops it
 * and emits "expired" so the window can go back to the sign-in page. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tandem-api-client.h"

G_BEGIN_DECLS

#define TG_TYPE_SESSION (tg_session_get_type ())

G_DECLARE_FINAL_TYPE (TgSession, tg_session, TG, SESSION, GObject)

TgSession       *tg_session_new              (void);

/* The canonical server URL, or NULL before one was chosen. */
const char      *tg_session_get_server       (TgSession   *self);
/* Chooses the server (signs out of the previous one locally).  Fails with
 * TANDEM_ERROR_INVALID_REQUEST and a sentence when @url is no server URL. */
gboolean         tg_session_set_server       (TgSession   *self,
                                              const char  *url,
                                              GError     **error);

/* The client for the server; NULL before a server was chosen. */
TandemApiClient *tg_session_get_client       (TgSession   *self);

gboolean         tg_session_is_signed_in     (TgSession   *self);
/* GET /auth/me of the signed-in account, or NULL. */
JsonObject      *tg_session_get_user         (TgSession   *self);
const char      *tg_session_get_user_id      (TgSession   *self);
/* "admin", "expert" or "student"; NULL when signed out. */
const char      *tg_session_get_role         (TgSession   *self);
/* Where the token was stored at the last sign-in: TRUE for the keyring. */
gboolean         tg_session_get_in_keyring   (TgSession   *self);

/* Looks up the stored token of the current server and, when there is one,
 * signs in with it (GET /auth/me).  Finishes TRUE when signed in, FALSE
 * without error when there was no usable session. */
void             tg_session_restore_async    (TgSession           *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean         tg_session_restore_finish   (TgSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* POST /auth/login, then stores the token and loads the account. */
void             tg_session_sign_in_async    (TgSession           *self,
                                              const char          *email,
                                              const char          *password,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean         tg_session_sign_in_finish   (TgSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* POST /auth/register with an invitation code (the account joins the
 * invitation's organization and group), then as sign-in. */
void             tg_session_register_async   (TgSession           *self,
                                              const char          *invite_code,
                                              const char          *name,
                                              const char          *email,
                                              const char          *password,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean         tg_session_register_finish  (TgSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* POST /auth/logout (its failure does not matter) and forgets the stored
 * token.  Always ends signed out. */
void             tg_session_sign_out_async   (TgSession           *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean         tg_session_sign_out_finish  (TgSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Reloads GET /auth/me (after PATCH /auth/me, for example). */
void             tg_session_set_user         (TgSession   *self,
                                              JsonObject  *user);

/* A JSON call with the session's token (see tandem_api_client_call_async()). */
void             tg_session_call_async       (TgSession           *self,
                                              const char          *method,
                                              const char          *path,
                                              JsonObject          *body,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonNode        *tg_session_call_finish      (TgSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Bytes down (pictures) and up (an avatar), with the session's token. */
void             tg_session_fetch_async      (TgSession           *self,
                                              const char          *path,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GBytes          *tg_session_fetch_finish     (TgSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void             tg_session_send_bytes_async (TgSession           *self,
                                              const char          *method,
                                              const char          *path,
                                              const char          *content_type,
                                              GBytes              *body,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);

G_END_DECLS
