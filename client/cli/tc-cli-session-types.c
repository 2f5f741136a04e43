/* tc-cli-session-types.c — `tandem-cli session-types list|create|update|
 * delete`: what experts offer in a group (name, description, length,
 * active), through /groups/{gid}/coaching/session-types. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli-coaching.h"

static gboolean
check_duration (int       minutes,
                GError  **error)
{
  if (minutes >= 15 && minutes <= 120)
    return TRUE;
  tc_cli_set_usage_error (error, _("--duration: a session lasts 15 to 120 minutes"));
  return FALSE;
}

static void
print_type (JsonObject *type)
{
  g_autofree char *duration = g_strdup_printf (_("%d min"),
      (int) json_object_get_int_member_with_default (type, "duration_minutes", 0));
  gboolean active = json_object_get_boolean_member_with_default (type, "active", TRUE);
  const char *pairs[] = {
    _("Name"), tc_cli_str (type, "name"),
    _("Description"), tc_cli_str (type, "description"),
    _("Duration"), duration,
    _("Bookable"), active ? _("yes") : _("no"),
    _("Id"), tc_cli_str (type, "id"),
    NULL
  };
  tc_cli_print_fields (pairs);
}

/* TYPE of update/delete: by id or name among the caller's own types, else
 * among all of the group (admins act for experts). */
static JsonNode *
find_type (TcCli       *cli,
           const char  *group_id,
           const char  *text,
           GError     **error)
{
  JsonObject *me = tc_cli_me (cli, error);
  if (me == NULL)
    return NULL;
  g_autoptr(GError) own_error = NULL;
  JsonNode *type = tc_cli_find_session_type (cli, group_id, tc_cli_str (me, "id"), text, TRUE, &own_error);
  if (type != NULL || !g_error_matches (own_error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
    {
      if (own_error != NULL)
        g_propagate_error (error, g_steal_pointer (&own_error));
      return type;
    }
  return tc_cli_find_session_type (cli, group_id, NULL, text, TRUE, error);
}

/* ---- session-types list ---- */

static int
cmd_list (TcCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *group = NULL, *expert = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group (id or exact name; default: your only group)"), N_("GROUP") },
    { "expert", 'e', 0, G_OPTION_ARG_STRING, &expert, N_("Only this expert's (id or name)"), N_("EXPERT") },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Also those that cannot be booked now (experts and admins)"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 0, 0, &status))
    return status;
  g_autofree char *group_id = tc_cli_coaching_group (cli, group, &error);
  if (group_id == NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *experts_path = g_strdup_printf ("/groups/%s/coaching/experts", group_id);
  g_autoptr(JsonNode) experts = tc_cli_call_list (cli, experts_path, &error);
  if (experts == NULL)
    return tc_cli_fail (cli, error);
  g_autofree char *only_expert_id = NULL;
  if (!tc_cli_expert_option (cli, group_id, expert, &only_expert_id, &error))
    return tc_cli_fail (cli, error);

  g_autoptr(GString) path = g_string_new (NULL);
  g_string_printf (path, "/groups/%s/coaching/session-types?include_inactive=%s", group_id, all ? "true" : "false");
  if (only_expert_id != NULL)
    g_string_append_printf (path, "&expert_id=%s", only_expert_id);
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
      g_print ("%s\n", _("No session types yet."));
      return TC_CLI_EXIT_OK;
    }
  /* Expert names by id. */
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *expert_items = json_object_get_array_member (tc_cli_obj (experts), "items");
  for (guint i = 0; i < json_array_get_length (expert_items); i++)
    {
      JsonObject *e = tc_cli_obj (json_array_get_element (expert_items, i));
      if (tc_cli_str (e, "id") != NULL && tc_cli_str (e, "name") != NULL)
        g_hash_table_insert (names, (gpointer) tc_cli_str (e, "id"), (gpointer) tc_cli_str (e, "name"));
    }

  g_autoptr(TcCliTable) table = tc_cli_table_new (5, _("NAME"), _("DURATION"), _("EXPERT"), _("BOOKABLE"), _("ID"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *type = tc_cli_obj (json_array_get_element (items, i));
      g_autofree char *duration = g_strdup_printf (_("%d min"),
          (int) json_object_get_int_member_with_default (type, "duration_minutes", 0));
      const char *expert_id = tc_cli_str (type, "expert_id");
      const char *expert_name = expert_id != NULL ? g_hash_table_lookup (names, expert_id) : NULL;
      gboolean active = json_object_get_boolean_member_with_default (type, "active", TRUE);
      tc_cli_table_add (table, tc_cli_str (type, "name"), duration,
                        expert_name != NULL ? expert_name : expert_id,
                        active ? _("yes") : _("no"), tc_cli_str (type, "id"));
    }
  tc_cli_table_print (table);
  return TC_CLI_EXIT_OK;
}

/* ---- session-types create ---- */

static int
cmd_create (TcCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *group = NULL, *description = NULL, *expert = NULL;
  int duration = 0;
  gboolean inactive = FALSE;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group (id or exact name; default: your only group)"), N_("GROUP") },
    { "duration", 'd', 0, G_OPTION_ARG_INT, &duration, N_("Length of a session in minutes (15–120)"), N_("MINUTES") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("What the session is about"), N_("TEXT") },
    { "inactive", 0, 0, G_OPTION_ARG_NONE, &inactive, N_("Not bookable yet"), NULL },
    { "expert", 'e', 0, G_OPTION_ARG_STRING, &expert, N_("Admins: for this expert of the group"), N_("EXPERT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 1, 1, &status))
    return status;
  if (duration == 0)
    tc_cli_set_usage_error (&error, _("give the length of a session with --duration MINUTES"));
  if (error != NULL || !check_duration (duration, &error))
    return tc_cli_fail (cli, error);
  g_autofree char *group_id = tc_cli_coaching_group (cli, group, &error);
  if (group_id == NULL)
    return tc_cli_fail (cli, error);

  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "name", argv[1]);
  json_object_set_int_member (body, "duration_minutes", duration);
  if (description != NULL)
    json_object_set_string_member (body, "description", description);
  if (inactive)
    json_object_set_boolean_member (body, "active", FALSE);
  g_autofree char *expert_id = NULL;
  if (!tc_cli_expert_option (cli, group_id, expert, &expert_id, &error))
    return tc_cli_fail (cli, error);
  if (expert_id != NULL)
    json_object_set_string_member (body, "expert_id", expert_id);
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/session-types", group_id);
  g_autoptr(JsonNode) type = tc_cli_call (cli, "POST", path, body, &error);
  if (type == NULL)
    return tc_cli_fail (cli, error);
  return tc_cli_coaching_show (cli, type, _("Created the session type:"), print_type);
}

/* ---- session-types update ---- */

static int
cmd_update (TcCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *group = NULL, *name = NULL, *description = NULL;
  int duration = 0;
  gboolean active = FALSE, inactive = FALSE;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group (id or exact name; default: your only group)"), N_("GROUP") },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("A new name"), N_("NAME") },
    { "duration", 'd', 0, G_OPTION_ARG_INT, &duration, N_("A new length in minutes (15–120; for new bookings)"), N_("MINUTES") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("A new description"), N_("TEXT") },
    { "active", 0, 0, G_OPTION_ARG_NONE, &active, N_("Make it bookable"), NULL },
    { "inactive", 0, 0, G_OPTION_ARG_NONE, &inactive, N_("Stop new bookings of it"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 1, 1, &status))
    return status;
  if (active && inactive)
    tc_cli_set_usage_error (&error, _("--active and --inactive exclude each other"));
  else if (name == NULL && description == NULL && duration == 0 && !active && !inactive)
    tc_cli_set_usage_error (&error, _("nothing to change: give --name, --description, --duration, --active or --inactive"));
  else if (duration != 0)
    check_duration (duration, &error);
  if (error != NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *group_id = tc_cli_coaching_group (cli, group, &error);
  if (group_id == NULL)
    return tc_cli_fail (cli, error);
  g_autoptr(JsonNode) type = find_type (cli, group_id, argv[1], &error);
  if (type == NULL)
    return tc_cli_fail (cli, error);

  g_autoptr(JsonObject) body = json_object_new ();
  if (name != NULL)
    json_object_set_string_member (body, "name", name);
  if (description != NULL)
    json_object_set_string_member (body, "description", description);
  if (duration != 0)
    json_object_set_int_member (body, "duration_minutes", duration);
  if (active || inactive)
    json_object_set_boolean_member (body, "active", active);
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/session-types/%s", group_id,
                                           tc_cli_str (tc_cli_obj (type), "id"));
  g_autoptr(JsonNode) changed = tc_cli_call (cli, "PATCH", path, body, &error);
  if (changed == NULL)
    return tc_cli_fail (cli, error);
  return tc_cli_coaching_show (cli, changed, _("Changed the session type:"), print_type);
}

/* ---- session-types delete ---- */

static int
cmd_delete (TcCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *group = NULL;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group (id or exact name; default: your only group)"), N_("GROUP") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 1, 1, &status))
    return status;
  g_autofree char *group_id = tc_cli_coaching_group (cli, group, &error);
  if (group_id == NULL)
    return tc_cli_fail (cli, error);
  g_autoptr(JsonNode) type = find_type (cli, group_id, argv[1], &error);
  if (type == NULL)
    return tc_cli_fail (cli, error);
  const char *id = tc_cli_str (tc_cli_obj (type), "id");
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/session-types/%s", group_id, id);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "DELETE", path, NULL, &error);
  if (error != NULL)
    return tc_cli_fail (cli, error);

  if (!tc_cli_print_deleted (cli, id))
    {
      g_autofree char *name = tc_cli_printable (tc_cli_str (tc_cli_obj (type), "name"));
      g_print (_("Deleted the session type “%s” (one that was booked before stays, but cannot be booked).\n"), name);
    }
  return TC_CLI_EXIT_OK;
}

const TcCliCommand tc_cli_session_types_commands[] = {
  { "session-types", "list", NULL, N_("List the session types of a group"), cmd_list },
  { "session-types", "create", "NAME", N_("Offer a session type (--duration MINUTES)"), cmd_create },
  { "session-types", "update", "TYPE", N_("Change a session type (by id or name)"), cmd_update },
  { "session-types", "delete", "TYPE", N_("Delete a session type (by id or name)"), cmd_delete },
  { NULL }
};
