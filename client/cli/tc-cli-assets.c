/* tc-cli-assets.c — `tandem-cli assets list|show|complete|finalize|delete`
 * (also spelled `asset …`), and finding an asset's videos for the commands
 * that take ASSET_OR_VIDEO. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

#include "tc-timecode.h"

/* The statuses an asset moves through. */
static const char *const asset_statuses[] = { "waiting_upload", "pending", "completed", NULL };

/* ---- reading assets ---- */

JsonNode *
tc_cli_get_asset (TcCli        *cli,
                  const char   *asset_id,
                  JsonObject  **asset,
                  JsonArray   **videos,
                  GError      **error)
{
  if (!g_uuid_string_is_valid (asset_id))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, _("“%s” is not an asset id"), asset_id);
      return NULL;
    }
  g_autofree char *path = g_strdup_printf ("/assets/%s", asset_id);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "GET", path, NULL, error);
  if (reply == NULL)
    return NULL;

  JsonObject *root = tc_cli_obj (reply);
  JsonObject *object = tc_cli_member_obj (root, "asset") != NULL ? tc_cli_member_obj (root, "asset") : root;
  if (tc_cli_str (object, "id") == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, _("the server sent an asset without an id"));
      return NULL;
    }

  /* The videos: next to the asset, or inside it. */
  JsonNode *list = json_object_get_member (root, "videos");
  if (list == NULL && object != root)
    list = json_object_get_member (object, "videos");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      json_object_set_array_member (object, "videos", json_array_new ());
      list = json_object_get_member (object, "videos");
    }
  if (asset != NULL)
    *asset = object;
  if (videos != NULL)
    *videos = json_node_get_array (list);
  return g_steal_pointer (&reply);
}

gboolean
tc_cli_resolve_video (TcCli       *cli,
                      const char  *id,
                      gboolean     allow_many,
                      char       **asset_id,
                      char       **video_id,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonArray *videos = NULL;

  if (!g_uuid_string_is_valid (id))
    {
      tc_cli_set_usage_error (error, _("“%s” is not an asset or video id"), id);
      return FALSE;
    }

  g_autoptr(JsonNode) asset = tc_cli_get_asset (cli, id, NULL, &videos, &local_error);
  if (asset != NULL)
    {
      guint n = json_array_get_length (videos);
      if (n == 1 || (allow_many && n > 0))
        {
          *asset_id = g_ascii_strdown (id, -1);
          *video_id = n == 1 ? g_strdup (tc_cli_str (tc_cli_obj (json_array_get_element (videos, 0)), "id")) : NULL;
          return TRUE;
        }
      if (n == 0)
        g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, _("the asset %s has no video"), id);
      else
        g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT,
                     _("the asset %s has %u videos; give the id of one (see “%s assets show %s”)"),
                     id, n, g_get_prgname (), id);
      return FALSE;
    }
  if (!g_error_matches (local_error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_clear_error (&local_error);
  g_autofree char *path = g_strdup_printf ("/videos/%s", id);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "GET", path, NULL, &local_error);
  if (reply == NULL)
    {
      if (g_error_matches (local_error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
        g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, _("there is no asset or video %s that you can see"),
                     id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  JsonObject *root = tc_cli_obj (reply);
  JsonObject *video = tc_cli_member_obj (root, "video") != NULL ? tc_cli_member_obj (root, "video") : root;
  const char *owner = tc_cli_str (video, "asset_id");
  if (owner == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, _("the server sent a video without its asset"));
      return FALSE;
    }
  *asset_id = g_strdup (owner);
  *video_id = g_ascii_strdown (id, -1);
  return TRUE;
}

/* ---- showing assets ---- */

static char *
video_duration (JsonObject *video)
{
  JsonNode *node = video != NULL ? json_object_get_member (video, "duration_ms") : NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return NULL;
  return tc_timecode_format (json_node_get_int (node));
}

static char *
video_resolution (JsonObject *video)
{
  gint64 width = video != NULL ? json_object_get_int_member_with_default (video, "width", 0) : 0;
  gint64 height = video != NULL ? json_object_get_int_member_with_default (video, "height", 0) : 0;
  if (width <= 0 || height <= 0)
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT "×%" G_GINT64_FORMAT, width, height);
}

static char *
video_status (JsonObject *video)
{
  const char *status = tc_cli_str (video, "status");
  const char *message = tc_cli_str (tc_cli_member_obj (video, "error"), "message");
  if (message == NULL)
    message = tc_cli_str (video, "error_message");
  if (g_strcmp0 (status, "failed") == 0 && message != NULL)
    return g_strdup_printf ("%s: %s", status, message);
  return g_strdup (status);
}

/* The display name of a user object or id member pair ("owner", "owner_name"). */
static const char *
person (JsonObject *object,
        const char *member)
{
  g_autofree char *flat = g_strconcat (member, "_name", NULL);
  const char *name = tc_cli_str (tc_cli_member_obj (object, member), "name");
  return name != NULL ? name : tc_cli_str (object, flat);
}

static gint64
video_count (JsonObject *asset)
{
  JsonNode *videos = asset != NULL ? json_object_get_member (asset, "videos") : NULL;
  if (videos != NULL && JSON_NODE_HOLDS_ARRAY (videos))
    return json_array_get_length (json_node_get_array (videos));
  return asset != NULL ? json_object_get_int_member_with_default (asset, "video_count", -1) : -1;
}

/* ---- assets list ---- */

static int
cmd_list (TcCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *group = NULL;
  g_autofree char *status_filter = NULL;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("Only this group's assets (id or name)"), N_("GROUP") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_filter,
      N_("Only assets in this state: waiting_upload, pending or completed"), N_("STATUS") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 0, 0, &status))
    return status;
  if (status_filter != NULL && !g_strv_contains (asset_statuses, status_filter))
    {
      tc_cli_set_usage_error (&error, _("--status must be waiting_upload, pending or completed"));
      return tc_cli_fail (cli, error);
    }

  g_autoptr(GString) path = g_string_new ("/assets");
  if (group != NULL)
    {
      g_autofree char *group_id = tc_cli_resolve_group (cli, group, &error);
      if (group_id == NULL)
        return tc_cli_fail (cli, error);
      g_string_append_printf (path, "?group_id=%s", group_id);
    }
  if (status_filter != NULL)
    g_string_append_printf (path, "%sstatus=%s", group != NULL ? "&" : "?", status_filter);

  g_autoptr(JsonNode) list = tc_cli_call_list (cli, path->str, &error);
  if (list == NULL)
    return tc_cli_fail (cli, error);
  if (cli->json)
    {
      tc_cli_print_json (cli, list);
      return TC_CLI_EXIT_OK;
    }

  JsonArray *items = json_object_get_array_member (tc_cli_obj (list), "items");
  if (json_array_get_length (items) == 0)
    {
      g_print ("%s\n", _("No assets."));
      return TC_CLI_EXIT_OK;
    }
  g_autoptr(TcCliTable) table = tc_cli_table_new (6, _("NAME"), _("STATUS"), _("VIDEOS"), _("OWNER"), _("CREATED"),
                                                  _("ID"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *asset = tc_cli_obj (json_array_get_element (items, i));
      gint64 count = video_count (asset);
      g_autofree char *videos = count >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, count) : NULL;
      g_autofree char *created = tc_cli_format_time (tc_cli_str (asset, "created_at"));
      tc_cli_table_add (table, tc_cli_str (asset, "name"), tc_cli_str (asset, "status"), videos,
                        person (asset, "owner"), created, tc_cli_str (asset, "id"));
    }
  tc_cli_table_print (table);
  return TC_CLI_EXIT_OK;
}

/* ---- assets show ---- */

static void
print_asset (JsonObject *asset,
             JsonArray  *videos)
{
  g_autofree char *created = tc_cli_format_time (tc_cli_str (asset, "created_at"));
  const char *group = tc_cli_str (tc_cli_member_obj (asset, "group"), "name");
  const char *description = tc_cli_str (asset, "description");
  const char *fields[] = {
    _("Name"), tc_cli_str (asset, "name"),
    _("Status"), tc_cli_str (asset, "status"),
    _("Group"), group != NULL ? group : tc_cli_str (asset, "group_name") != NULL ? tc_cli_str (asset, "group_name")
                                                                                : tc_cli_str (asset, "group_id"),
    _("Owner"), person (asset, "owner"),
    _("Description"), description != NULL && *description != '\0' ? description : NULL,
    _("Created"), created,
    _("ID"), tc_cli_str (asset, "id"),
    NULL
  };
  tc_cli_print_fields (fields);

  if (json_array_get_length (videos) == 0)
    return;
  g_print ("\n");
  g_autoptr(TcCliTable) table = tc_cli_table_new (7, _("FILE"), _("DURATION"), _("RESOLUTION"), _("SIZE"),
                                                  _("STATUS"), _("SHA-256"), _("VIDEO ID"));
  for (guint i = 0; i < json_array_get_length (videos); i++)
    {
      JsonObject *video = tc_cli_obj (json_array_get_element (videos, i));
      g_autofree char *duration = video_duration (video);
      g_autofree char *resolution = video_resolution (video);
      g_autofree char *status = video_status (video);
      gint64 bytes = video != NULL ? json_object_get_int_member_with_default (video, "size", -1) : -1;
      g_autofree char *size = bytes >= 0 ? tc_cli_format_size ((guint64) bytes) : NULL;
      tc_cli_table_add (table, tc_cli_str (video, "filename"), duration, resolution, size, status,
                        tc_cli_str (video, "sha256"), tc_cli_str (video, "id"));
    }
  tc_cli_table_print (table);
}

static int
cmd_show (TcCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;
  int status;
  JsonObject *asset = NULL;
  JsonArray *videos = NULL;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 1, 1, &status))
    return status;
  g_autoptr(JsonNode) reply = tc_cli_get_asset (cli, argv[1], &asset, &videos, &error);
  if (reply == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    {
      /* One shape whatever the server nests: the asset with its videos. */
      JsonObject *copy = json_object_ref (asset);
      if (!json_object_has_member (copy, "videos"))
        json_object_set_array_member (copy, "videos", json_array_ref (videos));
      tc_cli_print_object (cli, copy);
    }
  else
    print_asset (asset, videos);
  return TC_CLI_EXIT_OK;
}

/* ---- transitions ---- */

/* POST /assets/ID/@action ("complete" or "finalize"), then shows the asset. */
static int
transition (TcCli      *cli,
            int         argc,
            char      **argv,
            const char *action)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 1, 1, &status))
    return status;
  if (!g_uuid_string_is_valid (argv[1]))
    {
      tc_cli_set_usage_error (&error, _("“%s” is not an asset id"), argv[1]);
      return tc_cli_fail (cli, error);
    }
  g_autofree char *path = g_strdup_printf ("/assets/%s/%s", argv[1], action);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "POST", path, NULL, &error);
  if (reply == NULL)
    return tc_cli_fail (cli, error);

  JsonObject *asset = NULL;
  g_autoptr(JsonNode) shown = tc_cli_get_asset (cli, argv[1], &asset, NULL, &error);
  if (shown == NULL)
    return tc_cli_fail (cli, error);
  if (cli->json)
    tc_cli_print_object (cli, json_object_ref (asset));
  else
    {
      g_autofree char *name = tc_cli_printable (tc_cli_str (asset, "name"));
      g_autofree char *state = tc_cli_printable (tc_cli_str (asset, "status"));
      if (g_str_equal (action, "finalize"))
        /* TRANSLATORS: the asset's name, then its status */
        g_print (_("“%s” is finalized (%s).\n"), name, state);
      else
        /* TRANSLATORS: the asset's name, then its status */
        g_print (_("“%s” is complete and waits for review (%s).\n"), name, state);
    }
  return TC_CLI_EXIT_OK;
}

static int
cmd_complete (TcCli  *cli,
              int     argc,
              char  **argv)
{
  return transition (cli, argc, argv, "complete");
}

static int
cmd_finalize (TcCli  *cli,
              int     argc,
              char  **argv)
{
  return transition (cli, argc, argv, "finalize");
}

/* ---- assets delete ---- */

static int
cmd_delete (TcCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 1, 1, &status))
    return status;
  if (!g_uuid_string_is_valid (argv[1]))
    {
      tc_cli_set_usage_error (&error, _("“%s” is not an asset id"), argv[1]);
      return tc_cli_fail (cli, error);
    }
  g_autofree char *path = g_strdup_printf ("/assets/%s", argv[1]);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "DELETE", path, NULL, &error);
  if (reply == NULL)
    return tc_cli_fail (cli, error);
  if (cli->json)
    {
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "deleted", argv[1]);
      tc_cli_print_object (cli, o);
    }
  else
    g_print (_("Deleted the asset %s and its files.\n"), argv[1]);
  return TC_CLI_EXIT_OK;
}

const TcCliCommand tc_cli_assets_commands[] = {
  { "assets", "list", NULL, N_("List the assets you see (--group, --status)"), cmd_list },
  { "assets", "show", "ASSET", N_("Show an asset and its videos"), cmd_show },
  { "assets", "complete", "ASSET", N_("Mark an uploaded asset ready for review"), cmd_complete },
  { "assets", "finalize", "ASSET", N_("Close the review of an asset (experts)"), cmd_finalize },
  { "assets", "delete", "ASSET", N_("Delete an asset and its files"), cmd_delete },
  { NULL }
};
