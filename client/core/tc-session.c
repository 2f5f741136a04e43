/* tc-session.c — the server to talk to and the token to sign in with:
 * resolution order, storage in the keyring or the fallback file, and the
 * last server in client.ini. */
#define G_LOG_DOMAIN "tc-session"

#include "tc-session.h"

#include "tc-keyring.h"
#include "tc-token-file.h"

#include <errno.h>
#include <glib/gi18n.h>

struct _TcSession
{
  GObject parent_instance;

  char *server;
  TandemApiClient *client;
  TcSessionStore token_source;
};

G_DEFINE_FINAL_TYPE (TcSession, tc_session, G_TYPE_OBJECT)

/* ---- client.ini ---- */

static char *
config_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "tandem", "client.ini", NULL);
}

/* The server remembered in client.ini, or NULL. */
static char *
last_server (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("ignoring %s: %s", path, error->message);
      return NULL;
    }
  g_autofree char *server = g_key_file_get_string (file, "client", "server", NULL);
  if (server != NULL)
    g_strstrip (server);
  return server != NULL && *server != '\0' ? g_steal_pointer (&server) : NULL;
}

gboolean
tc_session_remember_server (TcSession  *self,
                            GError    **error)
{
  g_return_val_if_fail (TC_IS_SESSION (self), FALSE);

  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GKeyFile) file = g_key_file_new ();

  /* Keep whatever else the file says. */
  g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_string (file, "client", "server", self->server);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  return g_key_file_save_to_file (file, path, error);
}

/* ---- tokens ---- */

static void
set_token (TcSession      *self,
           const char     *token,
           TcSessionStore  source)
{
  tandem_api_client_set_token (self->client, token);
  self->token_source = token != NULL ? source : TC_SESSION_STORE_NONE;
}

static const char *
env_token (void)
{
  const char *token = g_getenv ("TANDEM_TOKEN");
  return token != NULL && *token != '\0' ? token : NULL;
}

/* Finds the token: the environment, the keyring, then the file. */
static void
load_token (TcSession *self)
{
  g_auto(TcSecret) token = NULL;

  if (env_token () != NULL)
    {
      set_token (self, env_token (), TC_SESSION_STORE_ENV);
      return;
    }

  if (!tc_keyring_disabled ())
    {
      g_autoptr(GError) error = NULL;
      token = tc_keyring_lookup (self->server, &error);
      if (error != NULL)
        g_debug ("keyring unavailable: %s", error->message);
      if (token != NULL)
        {
          set_token (self, token, TC_SESSION_STORE_KEYRING);
          return;
        }
    }

  /* Also when the keyring works: the token may have been saved while it
   * was not reachable. */
  g_autoptr(GError) error = NULL;
  token = tc_token_file_lookup (self->server, &error);
  if (error != NULL)
    g_debug ("no token from the session file: %s", error->message);
  set_token (self, token, TC_SESSION_STORE_FILE);
}

gboolean
tc_session_store_token (TcSession       *self,
                        const char      *token,
                        TcSessionStore  *where,
                        GError         **error)
{
  g_return_val_if_fail (TC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (token != NULL && *token != '\0', FALSE);

  TcSessionStore stored;
  g_autoptr(GError) keyring_error = NULL;

  if (!tc_keyring_disabled () && tc_keyring_store (self->server, token, &keyring_error))
    {
      g_autoptr(GError) clear_error = NULL;
      stored = TC_SESSION_STORE_KEYRING;
      /* No copy of the new session's predecessor stays in a file. */
      if (!tc_token_file_clear (self->server, &clear_error))
        g_debug ("cannot clean the session file: %s", clear_error->message);
    }
  else
    {
      if (keyring_error != NULL)
        g_debug ("keyring unavailable: %s", keyring_error->message);
      if (!tc_token_file_store (self->server, token, error))
        return FALSE;
      stored = TC_SESSION_STORE_FILE;
    }

  if (env_token () == NULL)
    set_token (self, token, stored);

  g_autoptr(GError) config_error = NULL;
  if (!tc_session_remember_server (self, &config_error))
    g_debug ("cannot remember the server: %s", config_error->message);

  if (where != NULL)
    *where = stored;
  return TRUE;
}

gboolean
tc_session_forget_token (TcSession  *self,
                         GError    **error)
{
  g_return_val_if_fail (TC_IS_SESSION (self), FALSE);

  if (!tc_keyring_disabled ())
    {
      g_autoptr(GError) keyring_error = NULL;
      if (!tc_keyring_clear (self->server, &keyring_error))
        g_debug ("keyring unavailable: %s", keyring_error->message);
    }
  if (!tc_token_file_clear (self->server, error))
    return FALSE;
  if (self->token_source != TC_SESSION_STORE_ENV)
    set_token (self, NULL, TC_SESSION_STORE_NONE);
  return TRUE;
}

char *
tc_session_token_file_path (void)
{
  return tc_token_file_path ();
}

/* ---- object ---- */

TcSession *
tc_session_new (const char  *server,
                GError     **error)
{
  g_autofree char *chosen = NULL;
  const char *env_server = g_getenv ("TANDEM_SERVER");

  if (server != NULL)
    chosen = g_strdup (server);
  else if (env_server != NULL && *env_server != '\0')
    chosen = g_strdup (env_server);
  else if ((chosen = last_server ()) == NULL)
    chosen = g_strdup (TC_SESSION_DEFAULT_SERVER);

  g_autofree char *canonical = tandem_api_client_normalize_url (chosen, error);
  if (canonical == NULL)
    return NULL;

  TcSession *self = g_object_new (TC_TYPE_SESSION, NULL);
  self->server = g_steal_pointer (&canonical);
  self->client = tandem_api_client_new (self->server);
  load_token (self);
  return self;
}

const char *
tc_session_get_server (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  return self->server;
}

TandemApiClient *
tc_session_get_client (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  return self->client;
}

gboolean
tc_session_has_token (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), FALSE);
  return self->token_source != TC_SESSION_STORE_NONE;
}

TcSessionStore
tc_session_get_token_source (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), TC_SESSION_STORE_NONE);
  return self->token_source;
}

static void
tc_session_finalize (GObject *object)
{
  TcSession *self = TC_SESSION (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->server, g_free);

  G_OBJECT_CLASS (tc_session_parent_class)->finalize (object);
}

static void
tc_session_class_init (TcSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_session_finalize;
}

static void
tc_session_init (TcSession *self)
{
}
