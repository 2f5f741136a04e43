/* tc-cli-groups.c — `tandem-cli groups list|create|members`, and finding a
 * group by id or by name for every command that takes a GROUP. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

/* ---- GROUP arguments ---- */

char *
tc_cli_resolve_group (TcCli       *cli,
                      const char  *id_or_name,
                      GError     **error)
{
  if (g_uuid_string_is_valid (id_or_name))
    return g_ascii_strdown (id_or_name, -1);

  g_autoptr(JsonNode) list = tc_cli_call_list (cli, "/groups", error);
  if (list == NULL)
    return NULL;

  JsonArray *items = json_object_get_array_member (tc_cli_obj (list), "items");
  const char *found = NULL;
  guint matches = 0;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *group = tc_cli_obj (json_array_get_element (items, i));
      if (g_strcmp0 (tc_cli_str (group, "name"), id_or_name) == 0)
        {
          found = tc_cli_str (group, "id");
          matches++;
        }
    }

  if (matches == 0 || found == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND,
                   _("you have no group named “%s”"), id_or_name);
      return NULL;
    }
  if (matches > 1)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT,
                   _("%u groups are named “%s”; give the group's id instead (see “%s groups list”)"),
                   matches, id_or_name, g_get_prgname ());
      return NULL;
    }
  return g_strdup (found);
}

/* ---- groups list ---- */

static int
cmd_list (TcCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 0, 0, &status))
    return status;
  g_autoptr(JsonNode) list = tc_cli_call_list (cli, "/groups", &error);
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
      g_print ("%s\n", _("You are in no group yet."));
      return TC_CLI_EXIT_OK;
    }
  g_autoptr(TcCliTable) table = tc_cli_table_new (3, _("NAME"), _("MEMBERS"), _("ID"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *group = tc_cli_obj (json_array_get_element (items, i));
      g_autofree char *members = NULL;
      if (group != NULL && json_object_has_member (group, "member_count"))
        members = g_strdup_printf ("%" G_GINT64_FORMAT,
                                   json_object_get_int_member_with_default (group, "member_count", 0));
      tc_cli_table_add (table, tc_cli_str (group, "name"), members, tc_cli_str (group, "id"));
    }
  tc_cli_table_print (table);
  return TC_CLI_EXIT_OK;
}

/* ---- groups create ---- */

static int
cmd_create (TcCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 1, 1, &status))
    return status;

  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "name", argv[1]);
  g_autoptr(JsonNode) group = tc_cli_call (cli, "POST", "/groups", body, &error);
  if (group == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    tc_cli_print_json (cli, group);
  else
    {
      g_autofree char *name = tc_cli_printable (tc_cli_str (tc_cli_obj (group), "name"));
      g_autofree char *id = tc_cli_printable (tc_cli_str (tc_cli_obj (group), "id"));
      g_print (_("Created the group “%s” (id %s).\n"), name, id);
    }
  return TC_CLI_EXIT_OK;
}

/* ---- groups members ---- */

static int
cmd_members (TcCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 1, 1, &status))
    return status;
  g_autofree char *group_id = tc_cli_resolve_group (cli, argv[1], &error);
  if (group_id == NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *path = g_strdup_printf ("/groups/%s/members", group_id);
  g_autoptr(JsonNode) list = tc_cli_call_list (cli, path, &error);
  if (list == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    {
      tc_cli_print_json (cli, list);
      return TC_CLI_EXIT_OK;
    }

  JsonArray *items = json_object_get_array_member (tc_cli_obj (list), "items");
  g_autoptr(TcCliTable) table = tc_cli_table_new (4, _("NAME"), _("E-MAIL"), _("ROLE"), _("JOINED"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *member = tc_cli_obj (json_array_get_element (items, i));
      g_autofree char *joined = tc_cli_format_time (tc_cli_str (member, "joined_at"));
      const char *role = tc_cli_role_text (tc_cli_str (member, "role"));
      g_autofree char *role_text = member != NULL && json_object_get_boolean_member_with_default (member, "is_owner", FALSE)
                                   ? g_strdup_printf (_("%s, owner"), role != NULL ? role : "")
                                   : g_strdup (role);
      tc_cli_table_add (table, tc_cli_str (member, "name"), tc_cli_str (member, "email"), role_text, joined);
    }
  tc_cli_table_print (table);
  return TC_CLI_EXIT_OK;
}

const TcCliCommand tc_cli_groups_commands[] = {
  { "groups", "list", NULL, N_("List the groups you see"), cmd_list },
  { "groups", "create", "NAME", N_("Create a group (you become its owner)"), cmd_create },
  { "groups", "members", "GROUP", N_("List the members of a group (by id or exact name)"), cmd_members },
  { NULL }
};
