/* tg-session.c — sign-in state of the desktop app: token storage on a
 * worker thread, async calls that notice an ended session (see
 * tg-session.h). */
#define G_LOG_DOMAIN "tg-session"

#include "tg-session.h"

#include "tandem-error.h"
#include "tc-keyring.h"
#include "tc-token-file.h"
#include "tg-util.h"

#include <glib/gi18n.h>

struct _TgSession
{
  GObject parent_instance;

  char *server;
  TandemApiClient *client;
  JsonObject *user;
  gboolean in_keyring;
};

G_DEFINE_FINAL_TYPE (TgSession, tg_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SIGNED_IN,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- token storage, off the main thread ---- */

typedef struct {
  char *server;
  char *token;         /* a secret: wiped */
  char *email;
  char *password;      /* a secret: wiped */
  char *name;
  char *invite_code;
  gboolean in_keyring;
} Job;

static void
job_free (Job *job)
{
  g_free (job->server);
  tc_secret_free (job->token);
  g_free (job->email);
  tc_secret_free (job->password);
  g_free (job->name);
  g_free (job->invite_code);
  g_free (job);
}

static Job *
job_new (TgSession *self)
{
  Job *job = g_new0 (Job, 1);
  job->server = g_strdup (self->server);
  return job;
}

static const char *
env_token (void)
{
  const char *token = g_getenv ("TANDEM_TOKEN");
  return token != NULL && *token != '\0' ? token : NULL;
}

/* The token for job->server: $TANDEM_TOKEN, the keyring, then the file
 * (the order of tc-session.h). */
static void
lookup_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;
  char *token = NULL;

  if (env_token () != NULL)
    token = g_strdup (env_token ());
  if (token == NULL && !tc_keyring_disabled ())
    {
      token = tc_keyring_lookup (job->server, &error);
      if (error != NULL)
        g_debug ("keyring unavailable: %s", error->message);
      g_clear_error (&error);
    }
  if (token == NULL)
    {
      token = tc_token_file_lookup (job->server, &error);
      if (error != NULL)
        g_debug ("no token from the session file: %s", error->message);
    }
  g_task_return_pointer (task, token, (GDestroyNotify) tc_secret_free);
}

static void
store_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(GError) keyring_error = NULL;
  GError *error = NULL;

  if (!tc_keyring_disabled () && tc_keyring_store (job->server, job->token, &keyring_error))
    {
      g_autoptr(GError) clear_error = NULL;
      job->in_keyring = TRUE;
      if (!tc_token_file_clear (job->server, &clear_error))
        g_debug ("cannot clean the session file: %s", clear_error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (keyring_error != NULL)
    g_debug ("keyring unavailable: %s", keyring_error->message);
  if (!tc_token_file_store (job->server, job->token, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
forget_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;

  if (!tc_keyring_disabled () && !tc_keyring_clear (job->server, &error))
    g_debug ("keyring unavailable: %s", error->message);
  g_clear_error (&error);
  if (!tc_token_file_clear (job->server, &error))
    g_debug ("cannot clean the session file: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

/* Forgets the stored token of the current server in the background. */
static void
forget_stored_token (TgSession *self)
{
  if (self->server == NULL || env_token () != NULL)
    return;
  g_autoptr(GTask) task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, job_new (self), (GDestroyNotify) job_free);
  g_task_run_in_thread (task, forget_thread);
}

/* ---- state ---- */

static void
set_user (TgSession  *self,
          JsonObject *user)
{
  gboolean was = self->user != NULL;
  if (user != NULL)
    json_object_ref (user);
  g_clear_pointer (&self->user, json_object_unref);
  self->user = user;
  if (was != (user != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* The session ended on the server's side: drop it everywhere. */
static void
expire (TgSession *self)
{
  if (self->user == NULL)
    return;
  g_info ("the server ended the session");
  tandem_api_client_set_token (self->client, NULL);
  forget_stored_token (self);
  set_user (self, NULL);
  g_signal_emit (self, signals[SIGNAL_EXPIRED], 0);
}

static GError *
no_server_error (void)
{
  return g_error_new_literal (TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST, _("Choose a server first"));
}

/* ---- calls ---- */

typedef struct {
  TandemApiClient *client;   /* the client the call went out on */
  gboolean bytes;
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->client);
  g_free (call);
}

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TgSession *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;

  if (call->bytes)
    {
      GBytes *bytes = tandem_api_client_fetch_finish (TANDEM_API_CLIENT (source), result, &error);
      if (bytes != NULL)
        {
          g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
          return;
        }
    }
  else
    {
      JsonNode *node = tandem_api_client_call_finish (TANDEM_API_CLIENT (source), result, &error);
      if (node != NULL)
        {
          g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
          return;
        }
    }
  /* Only a 401 on the current client's token means the session ended. */
  if (g_error_matches (error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED) && call->client == self->client)
    expire (self);
  g_task_return_error (task, error);
}

/* The task of a call through the current client; NULL when there is no
 * client (the task has failed then, with no_server_error ()). */
static GTask *
call_task (TgSession           *self,
           gboolean             bytes,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bytes ? (gpointer) tg_session_fetch_async : (gpointer) tg_session_call_async);
  Call *call = g_new0 (Call, 1);
  call->bytes = bytes;
  call->client = self->client != NULL ? g_object_ref (self->client) : NULL;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  if (self->client == NULL)
    {
      g_task_return_error (task, no_server_error ());
      g_object_unref (task);
      return NULL;
    }
  return task;
}

void
tg_session_call_async (TgSession           *self,
                       const char          *method,
                       const char          *path,
                       JsonObject          *body,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (TG_IS_SESSION (self));

  GTask *task = call_task (self, FALSE, cancellable, callback, user_data);
  if (task != NULL)
    tandem_api_client_call_async (self->client, method, path, body, cancellable, call_done_cb, task);
}

JsonNode *
tg_session_call_finish (TgSession     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tg_session_call_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tg_session_fetch_async (TgSession           *self,
                        const char          *path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (TG_IS_SESSION (self));

  GTask *task = call_task (self, TRUE, cancellable, callback, user_data);
  if (task != NULL)
    tandem_api_client_fetch_async (self->client, path, cancellable, call_done_cb, task);
}

GBytes *
tg_session_fetch_finish (TgSession     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tg_session_fetch_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tg_session_send_bytes_async (TgSession           *self,
                             const char          *method,
                             const char          *path,
                             const char          *content_type,
                             GBytes              *body,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (TG_IS_SESSION (self));

  GTask *task = call_task (self, FALSE, cancellable, callback, user_data);
  if (task != NULL)
    tandem_api_client_send_bytes_async (self->client, method, path, content_type, body, cancellable,
                                        call_done_cb, task);
}

/* ---- signing in: token → GET /auth/me ---- */

static void
me_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TgSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(JsonNode) me = tg_session_call_finish (self, result, &error);

  if (me == NULL || tg_json_object (me) == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, _("The server sent no account"));
      tandem_api_client_set_token (self->client, NULL);
      g_task_return_error (task, error);
      return;
    }
  set_user (self, tg_json_object (me));
  g_task_return_boolean (task, TRUE);
}

/* Uses @token from now on and loads the account; finishes @task. */
static void
load_account (TgSession *self,
              GTask     *task,
              const char *token)
{
  tandem_api_client_set_token (self->client, token);
  tg_session_call_async (self, "GET", "/auth/me", NULL, g_task_get_cancellable (task), me_cb, task);
}

/* ---- restore ---- */

static void
restore_me_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TgSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) me = tg_session_call_finish (self, result, &error);

  if (me != NULL && tg_json_object (me) != NULL)
    {
      set_user (self, tg_json_object (me));
      g_task_return_boolean (task, TRUE);
      return;
    }
  tandem_api_client_set_token (self->client, NULL);
  if (g_error_matches (error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED))
    {
      /* A stale token: forget it and ask to sign in. */
      forget_stored_token (self);
      g_task_return_boolean (task, FALSE);
      return;
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TgSession *self = TG_SESSION (source);
  g_auto(TcSecret) token = g_task_propagate_pointer (G_TASK (result), NULL);
  Job *job = g_task_get_task_data (G_TASK (result));

  if (token == NULL || g_strcmp0 (job->server, self->server) != 0)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  GCancellable *cancellable = g_task_get_cancellable (task);
  tandem_api_client_set_token (self->client, token);
  tg_session_call_async (self, "GET", "/auth/me", NULL, cancellable, restore_me_cb, g_steal_pointer (&task));
}

void
tg_session_restore_async (TgSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (TG_IS_SESSION (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tg_session_restore_async);
  if (self->server == NULL)
    {
      g_task_return_boolean (task, FALSE);
      g_object_unref (task);
      return;
    }
  g_autoptr(GTask) lookup = g_task_new (self, cancellable, lookup_cb, task);
  g_task_set_task_data (lookup, job_new (self), (GDestroyNotify) job_free);
  g_task_run_in_thread (lookup, lookup_thread);
}

gboolean
tg_session_restore_finish (TgSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- sign in / register ---- */

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TgSession *self = TG_SESSION (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    /* Signed in all the same; only the next start will ask again. */
    g_message ("cannot keep the session for the next start: %s", error->message);
  self->in_keyring = job->in_keyring;
  if (g_strcmp0 (job->server, self->server) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the server changed");
      return;
    }
  load_account (self, g_steal_pointer (&task), job->token);
}

/* The reply of login/register carries the token: store it, then load. */
static void
credentials_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TgSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (self, result, &error);

  const char *token = tg_json_string (tg_json_object (reply), "token");
  if (token == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, _("The server sent no session"));
      g_task_return_error (task, error);
      return;
    }
  Job *job = job_new (self);
  job->token = g_strdup (token);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GTask) store = g_task_new (self, cancellable, stored_cb, g_steal_pointer (&task));
  g_task_set_task_data (store, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (store, store_thread);
}

/* Sign in or register: POST @body to @path; the reply's token is stored and
 * the account loaded (credentials_cb) before the task of @source_tag
 * finishes.  A new sign-in replaces whoever was signed in. */
static void
send_credentials (TgSession           *self,
                  gpointer             source_tag,
                  const char          *path,
                  JsonObject          *body,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  if (self->client == NULL)
    {
      g_task_return_error (task, no_server_error ());
      return;
    }
  tandem_api_client_set_token (self->client, NULL);
  if (self->user != NULL)
    set_user (self, NULL);
  tg_session_call_async (self, "POST", path, body, cancellable, credentials_cb, g_steal_pointer (&task));
}

void
tg_session_sign_in_async (TgSession           *self,
                          const char          *email,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (TG_IS_SESSION (self));

  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "password", password);
  send_credentials (self, tg_session_sign_in_async, "/auth/login", body, cancellable, callback, user_data);
}

gboolean
tg_session_sign_in_finish (TgSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tg_session_register_async (TgSession           *self,
                           const char          *invite_code,
                           const char          *name,
                           const char          *email,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (TG_IS_SESSION (self));

  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "invite_code", invite_code);
  json_object_set_string_member (body, "name", name);
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "password", password);
  send_credentials (self, tg_session_register_async, "/auth/register", body, cancellable, callback, user_data);
}

gboolean
tg_session_register_finish (TgSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- sign out ---- */

static void
forgotten_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_task_return_boolean (task, TRUE);
}

static void
logout_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TgSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tandem_api_client_call_finish (TANDEM_API_CLIENT (source), result, &error);

  if (error != NULL)
    g_debug ("logout: %s", error->message);
  Job *job = g_task_get_task_data (task);
  if (g_strcmp0 (job->server, self->server) == 0)
    {
      tandem_api_client_set_token (self->client, NULL);
      set_user (self, NULL);
    }
  if (env_token () != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  Job *forget_job = g_new0 (Job, 1);
  forget_job->server = g_strdup (job->server);
  g_autoptr(GTask) forget = g_task_new (self, NULL, forgotten_cb, g_object_ref (task));
  g_task_set_task_data (forget, forget_job, (GDestroyNotify) job_free);
  g_task_run_in_thread (forget, forget_thread);
}

void
tg_session_sign_out_async (TgSession           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (TG_IS_SESSION (self));

  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tg_session_sign_out_async);
  if (self->client == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, job_new (self), (GDestroyNotify) job_free);
  /* Not through tg_session_call_async(): a 401 here is no news. */
  tandem_api_client_call_async (self->client, "POST", "/auth/logout", NULL, NULL, logout_cb,
                                g_steal_pointer (&task));
}

gboolean
tg_session_sign_out_finish (TgSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- accessors ---- */

const char *
tg_session_get_server (TgSession *self)
{
  g_return_val_if_fail (TG_IS_SESSION (self), NULL);
  return self->server;
}

gboolean
tg_session_set_server (TgSession   *self,
                       const char  *url,
                       GError     **error)
{
  g_return_val_if_fail (TG_IS_SESSION (self), FALSE);

  g_autofree char *canonical = tandem_api_client_normalize_url (url, error);
  if (canonical == NULL)
    return FALSE;
  if (g_strcmp0 (canonical, self->server) == 0)
    return TRUE;
  g_free (self->server);
  self->server = g_steal_pointer (&canonical);
  g_clear_object (&self->client);
  self->client = tandem_api_client_new (self->server);
  self->in_keyring = FALSE;
  if (self->user != NULL)
    set_user (self, NULL);
  return TRUE;
}

TandemApiClient *
tg_session_get_client (TgSession *self)
{
  g_return_val_if_fail (TG_IS_SESSION (self), NULL);
  return self->client;
}

gboolean
tg_session_is_signed_in (TgSession *self)
{
  g_return_val_if_fail (TG_IS_SESSION (self), FALSE);
  return self->user != NULL;
}

JsonObject *
tg_session_get_user (TgSession *self)
{
  g_return_val_if_fail (TG_IS_SESSION (self), NULL);
  return self->user;
}

const char *
tg_session_get_user_id (TgSession *self)
{
  g_return_val_if_fail (TG_IS_SESSION (self), NULL);
  return tg_json_string (self->user, "id");
}

const char *
tg_session_get_role (TgSession *self)
{
  g_return_val_if_fail (TG_IS_SESSION (self), NULL);
  return tg_json_string (self->user, "role");
}

gboolean
tg_session_get_in_keyring (TgSession *self)
{
  g_return_val_if_fail (TG_IS_SESSION (self), FALSE);
  return self->in_keyring;
}

void
tg_session_set_user (TgSession  *self,
                     JsonObject *user)
{
  g_return_if_fail (TG_IS_SESSION (self));
  g_return_if_fail (user != NULL);
  if (self->user == NULL)
    return;
  set_user (self, user);
}

/* ---- object ---- */

TgSession *
tg_session_new (void)
{
  return g_object_new (TG_TYPE_SESSION, NULL);
}

static void
tg_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TgSession *self = TG_SESSION (object);

  switch (prop_id)
    {
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->user != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_session_finalize (GObject *object)
{
  TgSession *self = TG_SESSION (object);

  g_clear_pointer (&self->user, json_object_unref);
  g_clear_object (&self->client);
  g_clear_pointer (&self->server, g_free);

  G_OBJECT_CLASS (tg_session_parent_class)->finalize (object);
}

static void
tg_session_class_init (TgSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tg_session_finalize;
  object_class->get_property = tg_session_get_property;

  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The account changed: signed in, signed out, or its details. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The server no longer accepts the token; already signed out. */
  signals[SIGNAL_EXPIRED] = g_signal_new ("expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tg_session_init (TgSession *self)
{
}
