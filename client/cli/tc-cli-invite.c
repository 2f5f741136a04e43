/* tc-cli-invite.c — `tandem-cli invite send|show|accept`: invitations into
 * a group by e-mail, and what to do with a code (or link) one received. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

#include <string.h>

#define CODE_LENGTH 6

char *
tc_cli_invite_code (const char  *text,
                    GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  const char *code = copy;

  /* A link: …/invite/CODE, tandem://invite/CODE or …?invite=CODE. */
  if (strchr (copy, '/') != NULL || strchr (copy, '?') != NULL)
    {
      char *end = copy + strcspn (copy, "#");
      *end = '\0';
      char *query = strstr (copy, "invite=");
      if (query != NULL)
        {
          query += strlen ("invite=");
          query[strcspn (query, "&")] = '\0';
          code = query;
        }
      else
        {
          copy[strcspn (copy, "?")] = '\0';
          gsize len = strlen (copy);
          while (len > 0 && copy[len - 1] == '/')
            copy[--len] = '\0';
          const char *slash = strrchr (copy, '/');
          code = slash != NULL ? slash + 1 : copy;
        }
    }

  gboolean valid = strlen (code) == CODE_LENGTH;
  for (const char *p = code; valid && *p != '\0'; p++)
    valid = g_ascii_isalnum (*p);
  if (!valid)
    {
      tc_cli_set_usage_error (error, _("“%s” is not an invitation code (six letters and digits) or link"), text);
      return NULL;
    }
  return g_ascii_strup (code, -1);
}

/* ---- invite send ---- */

static int
cmd_send (TcCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *group = NULL;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group to invite into (id or exact name)"), N_("GROUP") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 1, 1, &status))
    return status;
  if (group == NULL)
    {
      tc_cli_set_usage_error (&error, _("give the group with --group"));
      return tc_cli_fail (cli, error);
    }
  g_autofree char *group_id = tc_cli_resolve_group (cli, group, &error);
  if (group_id == NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *path = g_strdup_printf ("/groups/%s/invitations", group_id);
  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "email", argv[1]);
  g_autoptr(JsonNode) invitation = tc_cli_call (cli, "POST", path, body, &error);
  if (invitation == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    {
      tc_cli_print_json (cli, invitation);
      return TC_CLI_EXIT_OK;
    }
  JsonObject *o = tc_cli_obj (invitation);
  g_autofree char *email = tc_cli_printable (tc_cli_str (o, "email"));
  g_autofree char *expires = tc_cli_format_time (tc_cli_str (o, "expires_at"));
  g_print (_("Invitation sent to %s.\n"), email);
  const char *fields[] = {
    _("Code"), tc_cli_str (o, "code"),
    _("Link"), tc_cli_str (o, "url"),
    _("Expires"), expires,
    NULL
  };
  tc_cli_print_fields (fields);
  return TC_CLI_EXIT_OK;
}

/* ---- invite show ---- */

static const char *
status_text (const char *status)
{
  if (g_strcmp0 (status, "pending") == 0)
    return C_("invitation status", "open");
  if (g_strcmp0 (status, "accepted") == 0)
    return C_("invitation status", "already used");
  if (g_strcmp0 (status, "revoked") == 0)
    return C_("invitation status", "withdrawn");
  if (g_strcmp0 (status, "expired") == 0)
    return C_("invitation status", "expired");
  return status;
}

static int
cmd_show (TcCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 1, 1, &status))
    return status;
  g_autofree char *code = tc_cli_invite_code (argv[1], &error);
  if (code == NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *path = g_strdup_printf ("/invitations/%s", code);
  g_autoptr(JsonNode) invitation = tc_cli_call (cli, "GET", path, NULL, &error);
  if (invitation == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    {
      tc_cli_print_json (cli, invitation);
      return TC_CLI_EXIT_OK;
    }
  JsonObject *o = tc_cli_obj (invitation);
  g_autofree char *expires = tc_cli_format_time (tc_cli_str (o, "expires_at"));
  const char *fields[] = {
    _("Group"), tc_cli_str (tc_cli_member_obj (o, "group"), "name"),
    _("Invited by"), tc_cli_str (o, "inviter_name"),
    _("Code"), code,
    _("Status"), status_text (tc_cli_str (o, "status")),
    _("Expires"), expires,
    NULL
  };
  tc_cli_print_fields (fields);
  if (g_strcmp0 (tc_cli_str (o, "status"), "pending") == 0)
    g_print (_("Join with “%s invite accept %s”, or create an account with “%s register --invite %s”.\n"),
             g_get_prgname (), code, g_get_prgname (), code);
  return TC_CLI_EXIT_OK;
}

/* ---- invite accept ---- */

static int
cmd_accept (TcCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 1, 1, &status))
    return status;
  g_autofree char *code = tc_cli_invite_code (argv[1], &error);
  if (code == NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *path = g_strdup_printf ("/invitations/%s/accept", code);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "POST", path, NULL, &error);
  if (reply == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    tc_cli_print_json (cli, reply);
  else
    {
      g_autofree char *name = tc_cli_printable (tc_cli_str (tc_cli_member_obj (tc_cli_obj (reply), "group"), "name"));
      g_print (_("You joined the group “%s”.\n"), name);
    }
  return TC_CLI_EXIT_OK;
}

const TcCliCommand tc_cli_invite_commands[] = {
  { "invite", "send", "EMAIL --group GROUP", N_("Invite somebody into a group by e-mail"), cmd_send },
  { "invite", "show", "CODE", N_("Show what an invitation code (or link) is for"), cmd_show },
  { "invite", "accept", "CODE", N_("Join the group of an invitation"), cmd_accept },
  { NULL }
};
