/* tg-fetch.c — authorized GET of binary replies; see tg-fetch.h. */
#define G_LOG_DOMAIN "tg-fetch"

#include "tg-fetch.h"

#include "tandem-error.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

typedef struct {
  SoupSession *session;  /* one per fetch: a few pictures per video */
  SoupMessage *msg;
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;
  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->session);
  g_free (fetch);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessage *msg = fetch->msg;
  g_autoptr(GError) error = NULL;

  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, TANDEM_ERROR, TANDEM_ERROR_NETWORK,
                                 C_("player", "Cannot reach the server: %s"), error->message);
      return;
    }

  guint status = soup_message_get_status (msg);
  if (status >= 200 && status < 300)
    {
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }

  /* {"error":{"code","message"}} */
  const char *name = NULL, *message = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL))
    {
      JsonNode *root = json_parser_get_root (parser);
      JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      JsonNode *e = o != NULL ? json_object_get_member (o, "error") : NULL;
      if (e != NULL && JSON_NODE_HOLDS_OBJECT (e))
        {
          name = json_object_get_string_member_with_default (json_node_get_object (e), "code", NULL);
          message = json_object_get_string_member_with_default (json_node_get_object (e), "message", NULL);
        }
    }
  if (status >= 300 && status < 400)
    g_task_return_new_error (task, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                             C_("player", "The server answered with a redirect (HTTP %u)"), status);
  else
    g_task_return_new_error (task, TANDEM_ERROR, tandem_error_code_from_name (name, status), "%s",
                             message != NULL ? message : soup_status_get_phrase (status));
}

void
tg_fetch_bytes_async (TandemApiClient     *client,
                      const char          *path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (TANDEM_IS_API_CLIENT (client));
  g_return_if_fail (path != NULL && path[0] == '/');

  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, tg_fetch_bytes_async);

  g_autofree char *url = g_strconcat (tandem_api_client_get_base_url (client), path, NULL);
  SoupMessage *msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST, "not a valid path: %s", path);
      return;
    }
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  const char *token = tandem_api_client_get_token (client);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  Fetch *fetch = g_new0 (Fetch, 1);
  fetch->msg = msg;
  fetch->session = soup_session_new_with_options ("timeout", 30, NULL);
  g_task_set_task_data (task, fetch, fetch_free);
  soup_session_send_and_read_async (fetch->session, msg, G_PRIORITY_DEFAULT, cancellable, on_sent,
                                    g_object_ref (task));
}

GBytes *
tg_fetch_bytes_finish (TandemApiClient  *client,
                       GAsyncResult     *result,
                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
