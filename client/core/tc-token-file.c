/* tc-token-file.c — the 0600 JSON file that keeps session tokens when no
 * keyring is available. */
#define G_LOG_DOMAIN "tc-token-file"

#include "tc-token-file.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* A token file is a few hundred bytes; refuse anything absurd. */
#define MAX_FILE_SIZE (1024 * 1024)

char *
tc_token_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "tandem", "session.json", NULL);
}

/* The "sessions" object of the file, a new empty one when the file does not
 * exist; NULL with @error when it cannot be read or parsed. */
static JsonObject *
load_sessions (const char  *path,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(TcSecret) text = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return json_object_new ();
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (len > MAX_FILE_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s is too large"), path);
      return NULL;
    }

  g_autoptr(JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s is not valid JSON: %s"),
                   path, local_error->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  JsonNode *sessions = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
                       ? json_object_get_member (json_node_get_object (root), "sessions")
                       : NULL;
  if (sessions == NULL || !JSON_NODE_HOLDS_OBJECT (sessions))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s does not hold Tandem sessions"), path);
      return NULL;
    }
  return json_object_ref (json_node_get_object (sessions));
}

/* Writes @sessions to @path (0600), or removes the file when it is empty. */
static gboolean
save_sessions (const char  *path,
               JsonObject  *sessions,
               GError     **error)
{
  if (json_object_get_size (sessions) == 0)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("cannot remove %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }

  g_autofree char *dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  g_autoptr(JsonObject) root = json_object_new ();
  json_object_set_object_member (root, "sessions", json_object_ref (sessions));
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  g_auto(TcSecret) text = json_to_string (node, TRUE);

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

char *
tc_token_file_lookup (const char  *server,
                      GError     **error)
{
  g_return_val_if_fail (server != NULL, NULL);

  g_autofree char *path = tc_token_file_path ();
  g_autoptr(JsonObject) sessions = load_sessions (path, error);
  if (sessions == NULL)
    return NULL;

  JsonNode *entry = json_object_get_member (sessions, server);
  if (entry == NULL || !JSON_NODE_HOLDS_OBJECT (entry))
    return NULL;
  const char *token = json_object_get_string_member_with_default (json_node_get_object (entry),
                                                                  "token", NULL);
  return token != NULL && *token != '\0' ? g_strdup (token) : NULL;
}

gboolean
tc_token_file_store (const char  *server,
                     const char  *token,
                     GError     **error)
{
  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  g_autofree char *path = tc_token_file_path ();
  g_autoptr(GError) load_error = NULL;
  g_autoptr(JsonObject) sessions = load_sessions (path, &load_error);
  if (sessions == NULL)
    {
      /* A damaged file must not lock the user out: start it afresh. */
      g_debug ("replacing the session file: %s", load_error->message);
      sessions = json_object_new ();
    }

  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *saved_at = g_date_time_format_iso8601 (now);
  JsonObject *entry = json_object_new ();
  json_object_set_string_member (entry, "token", token);
  json_object_set_string_member (entry, "saved_at", saved_at);
  json_object_set_object_member (sessions, server, entry);
  return save_sessions (path, sessions, error);
}

gboolean
tc_token_file_clear (const char  *server,
                     GError     **error)
{
  g_return_val_if_fail (server != NULL, FALSE);

  g_autofree char *path = tc_token_file_path ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  g_autoptr(GError) load_error = NULL;
  g_autoptr(JsonObject) sessions = load_sessions (path, &load_error);
  if (sessions == NULL)
    /* Unreadable anyway: remove it rather than leave a token behind. */
    sessions = json_object_new ();
  else if (!json_object_has_member (sessions, server))
    return TRUE;
  else
    json_object_remove_member (sessions, server);
  return save_sessions (path, sessions, error);
}
