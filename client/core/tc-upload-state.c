/* tc-upload-state.c — the resume records of interrupted uploads, as JSON
 * files under $XDG_STATE_HOME/tandem/uploads/. */
#define G_LOG_DOMAIN "tc-upload-state"

#include "tc-upload-state.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define STATE_VERSION 1
/* A record is a few kilobytes; refuse anything absurd. */
#define MAX_FILE_SIZE (4 * 1024 * 1024)

char *
tc_upload_state_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "tandem", "uploads", NULL);
}

char *
tc_upload_state_id (const char         *server,
                    const char * const *paths)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  /* NUL-separated, so that no two lists of names give the same input. */
  g_checksum_update (sum, (const guchar *) server, (gssize) strlen (server) + 1);
  for (guint i = 0; paths[i] != NULL; i++)
    g_checksum_update (sum, (const guchar *) paths[i], (gssize) strlen (paths[i]) + 1);
  return g_strndup (g_checksum_get_string (sum), 32);
}

static char *
record_path (const char *id)
{
  g_autofree char *dir = tc_upload_state_dir ();
  g_autofree char *name = g_strconcat (id, ".json", NULL);
  return g_build_filename (dir, name, NULL);
}

static void
upload_file_free (TcUploadFile *file)
{
  g_free (file->path);
  g_free (file->video_id);
  g_free (file->upload_url);
  g_free (file);
}

void
tc_upload_state_free (TcUploadState *state)
{
  if (state == NULL)
    return;
  g_free (state->id);
  g_free (state->server);
  g_free (state->asset_id);
  g_free (state->group_id);
  g_free (state->name);
  g_free (state->description);
  g_ptr_array_unref (state->files);
  g_free (state);
}

static TcUploadState *
state_alloc (void)
{
  TcUploadState *state = g_new0 (TcUploadState, 1);
  state->files = g_ptr_array_new_with_free_func ((GDestroyNotify) upload_file_free);
  return state;
}

/* Size and modification time of the regular file at @path. */
static gboolean
stat_file (const char  *path,
           guint64     *size,
           gint64      *mtime_us,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = g_file_query_info (file,
                                                 G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                 G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                                 G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                                 G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC ","
                                                 G_FILE_ATTRIBUTE_ACCESS_CAN_READ,
                                                 G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, _("%s is not a regular file"), path);
      return FALSE;
    }
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ) &&
      !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, _("%s cannot be read"), path);
      return FALSE;
    }
  *size = (guint64) g_file_info_get_size (info);
  *mtime_us = (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) * G_USEC_PER_SEC +
              g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
  return TRUE;
}

TcUploadState *
tc_upload_state_new (const char          *server,
                     const char * const  *paths,
                     GError             **error)
{
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (paths != NULL, NULL);

  g_autoptr(TcUploadState) state = state_alloc ();
  state->id = tc_upload_state_id (server, paths);
  state->server = g_strdup (server);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      TcUploadFile *file = g_new0 (TcUploadFile, 1);
      file->path = g_strdup (paths[i]);
      g_ptr_array_add (state->files, file);
      if (!stat_file (file->path, &file->size, &file->mtime_us, error))
        return NULL;
    }
  return g_steal_pointer (&state);
}

gboolean
tc_upload_file_unchanged (TcUploadFile  *file,
                          GError       **error)
{
  guint64 size = 0;
  gint64 mtime_us = 0;

  if (!stat_file (file->path, &size, &mtime_us, error))
    return FALSE;
  if (size != file->size || mtime_us != file->mtime_us)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s changed since its upload started"), file->path);
      return FALSE;
    }
  return TRUE;
}

/* ---- JSON ---- */

static const char *
str_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

static gboolean
int_member (JsonObject *object,
            const char *name,
            gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static TcUploadState *
state_from_json (const char *id,
                 JsonNode   *root)
{
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  gint64 version = 0;
  JsonNode *files_node = o != NULL ? json_object_get_member (o, "files") : NULL;

  if (o == NULL || !int_member (o, "version", &version) || version != STATE_VERSION ||
      str_member (o, "server") == NULL || str_member (o, "asset_id") == NULL ||
      files_node == NULL || !JSON_NODE_HOLDS_ARRAY (files_node))
    return NULL;

  g_autoptr(TcUploadState) state = state_alloc ();
  state->id = g_strdup (id);
  state->server = g_strdup (str_member (o, "server"));
  state->asset_id = g_strdup (str_member (o, "asset_id"));
  state->group_id = g_strdup (str_member (o, "group_id"));
  state->name = g_strdup (str_member (o, "name"));
  state->description = g_strdup (str_member (o, "description"));
  int_member (o, "updated_at", &state->updated_at);

  JsonArray *files = json_node_get_array (files_node);
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonNode *node = json_array_get_element (files, i);
      JsonObject *f = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 size = -1;
      if (f == NULL || str_member (f, "path") == NULL || str_member (f, "upload_url") == NULL ||
          !int_member (f, "size", &size) || size < 0)
        return NULL;
      TcUploadFile *file = g_new0 (TcUploadFile, 1);
      file->path = g_strdup (str_member (f, "path"));
      file->size = (guint64) size;
      int_member (f, "mtime_us", &file->mtime_us);
      file->video_id = g_strdup (str_member (f, "video_id"));
      file->upload_url = g_strdup (str_member (f, "upload_url"));
      file->sent = json_object_get_boolean_member_with_default (f, "sent", FALSE);
      g_ptr_array_add (state->files, file);
    }
  return state->files->len > 0 ? g_steal_pointer (&state) : NULL;
}

static JsonNode *
state_to_json (TcUploadState *state)
{
  JsonObject *o = json_object_new ();
  JsonArray *files = json_array_new ();

  json_object_set_int_member (o, "version", STATE_VERSION);
  json_object_set_string_member (o, "server", state->server);
  json_object_set_string_member (o, "asset_id", state->asset_id);
  json_object_set_string_member (o, "group_id", state->group_id);
  json_object_set_string_member (o, "name", state->name);
  json_object_set_string_member (o, "description", state->description);
  json_object_set_int_member (o, "updated_at", state->updated_at);
  for (guint i = 0; i < state->files->len; i++)
    {
      TcUploadFile *file = g_ptr_array_index (state->files, i);
      JsonObject *f = json_object_new ();
      json_object_set_string_member (f, "path", file->path);
      json_object_set_int_member (f, "size", (gint64) file->size);
      json_object_set_int_member (f, "mtime_us", file->mtime_us);
      json_object_set_string_member (f, "video_id", file->video_id);
      json_object_set_string_member (f, "upload_url", file->upload_url);
      json_object_set_boolean_member (f, "sent", file->sent);
      json_array_add_object_element (files, f);
    }
  json_object_set_array_member (o, "files", files);

  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

/* ---- files ---- */

TcUploadState *
tc_upload_state_load (const char  *id,
                      GError     **error)
{
  g_return_val_if_fail (id != NULL, NULL);

  g_autofree char *path = record_path (id);
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_get_contents (path, &text, &len, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_autoptr(JsonParser) parser = json_parser_new ();
  TcUploadState *state = NULL;
  if (len <= MAX_FILE_SIZE && json_parser_load_from_data (parser, text, (gssize) len, NULL))
    state = state_from_json (id, json_parser_get_root (parser));
  if (state == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("%s is not the record of an upload"), path);
  return state;
}

TcUploadState *
tc_upload_state_latest (const char  *server,
                        GError     **error)
{
  g_return_val_if_fail (server != NULL, NULL);

  g_autofree char *dir_path = tc_upload_state_dir ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &local_error);
  if (dir == NULL)
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_autoptr(TcUploadState) best = NULL;
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (!g_str_has_suffix (name, ".json"))
        continue;
      g_autofree char *id = g_strndup (name, strlen (name) - strlen (".json"));
      g_autoptr(GError) load_error = NULL;
      g_autoptr(TcUploadState) state = tc_upload_state_load (id, &load_error);
      if (state == NULL)
        {
          if (load_error != NULL)
            g_debug ("skipping %s: %s", name, load_error->message);
          continue;
        }
      if (g_strcmp0 (state->server, server) == 0 &&
          (best == NULL || state->updated_at > best->updated_at))
        {
          tc_upload_state_free (best);
          best = g_steal_pointer (&state);
        }
    }
  return g_steal_pointer (&best);
}

gboolean
tc_upload_state_save (TcUploadState  *state,
                      GError        **error)
{
  g_return_val_if_fail (state != NULL && state->id != NULL, FALSE);

  g_autofree char *dir = tc_upload_state_dir ();
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  state->updated_at = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(JsonNode) node = state_to_json (state);
  g_autofree char *text = json_to_string (node, TRUE);
  g_autofree char *path = record_path (state->id);
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
tc_upload_state_remove (TcUploadState  *state,
                        GError        **error)
{
  g_return_val_if_fail (state != NULL && state->id != NULL, FALSE);

  g_autofree char *path = record_path (state->id);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("cannot remove %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
