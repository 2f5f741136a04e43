/* tc-cli-auth.c — `tandem-cli login`, `logout`, `me` and `register`: the
 * account commands, and keeping the session a login or registration
 * returns.  The token is never printed, not even with --json. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

/* ---- shared ---- */

gboolean
tc_cli_keep_session (TcCli     *cli,
                     JsonNode  *reply,
                     GError   **error)
{
  const char *token = tc_cli_str (tc_cli_obj (reply), "token");
  TcSessionStore where = TC_SESSION_STORE_NONE;

  if (token == NULL || *token == '\0')
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                   _("the server did not send a session token"));
      return FALSE;
    }
  if (!tc_session_store_token (cli->session, token, &where, error))
    return FALSE;
  if (where == TC_SESSION_STORE_FILE)
    {
      g_autofree char *path = tc_session_token_file_path ();
      g_printerr ("%s: ", g_get_prgname ());
      g_printerr (_("no keyring available; the session token is stored in %s"), path);
      g_printerr ("\n");
    }
  return TRUE;
}

/* The JSON document for a login/registration: the reply without its token. */
static void
print_signed_in_json (TcCli    *cli,
                      JsonNode *reply)
{
  JsonObject *o = json_object_new ();
  JsonNode *user = json_object_get_member (tc_cli_obj (reply), "user");

  json_object_set_string_member (o, "server", tc_session_get_server (cli->session));
  json_object_set_member (o, "user", user != NULL ? json_node_copy (user) : json_node_new (JSON_NODE_NULL));
  tc_cli_print_object (cli, o);
}

/* ---- login ---- */

static int
cmd_login (TcCli  *cli,
           int     argc,
           char  **argv)
{
  g_autofree char *email = NULL;
  gboolean password_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "email", 'e', 0, G_OPTION_ARG_STRING, &email, N_("Your e-mail address (asked when missing)"), N_("EMAIL") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the password from the first line of standard input"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 0, 0, &status))
    return status;
  if (tc_cli_session (cli, &error) == NULL)
    return tc_cli_fail (cli, error);
  if (email == NULL && (email = tc_cli_read_line (_("E-mail: "), "--email", &error)) == NULL)
    return tc_cli_fail (cli, error);

  g_auto(TcSecret) password = tc_cli_read_password (_("Password: "), password_stdin, FALSE, &error);
  if (password == NULL)
    return tc_cli_fail (cli, error);

  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "password", password);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "POST", "/auth/login", body, &error);
  if (reply == NULL || !tc_cli_keep_session (cli, reply, &error))
    return tc_cli_fail (cli, error);

  if (cli->json)
    print_signed_in_json (cli, reply);
  else
    {
      JsonObject *user = tc_cli_member_obj (tc_cli_obj (reply), "user");
      g_autofree char *user_name = tc_cli_printable (tc_cli_str (user, "name"));
      g_autofree char *user_email = tc_cli_printable (tc_cli_str (user, "email"));
      g_print (_("Signed in to %s as %s <%s>.\n"), tc_session_get_server (cli->session),
               user_name, user_email);
    }
  return TC_CLI_EXIT_OK;
}

/* ---- logout ---- */

static int
cmd_logout (TcCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) server_error = NULL;
  int status;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 0, 0, &status))
    return status;
  TcSession *session = tc_cli_session (cli, &error);
  if (session == NULL)
    return tc_cli_fail (cli, error);

  gboolean had_token = tc_session_has_token (session);
  if (had_token)
    {
      /* End the session on the server; an already invalid token is fine. */
      g_autoptr(JsonNode) reply = tc_cli_call (cli, "POST", "/auth/logout", NULL, &server_error);
      if (g_error_matches (server_error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED))
        g_clear_error (&server_error);
    }
  /* Forget it here in any case: the user asked to be signed out. */
  if (!tc_session_forget_token (session, &error))
    return tc_cli_fail (cli, error);
  if (server_error != NULL)
    return tc_cli_fail (cli, server_error);

  if (cli->json)
    {
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "server", tc_session_get_server (session));
      json_object_set_boolean_member (o, "signed_out", had_token);
      tc_cli_print_object (cli, o);
    }
  else if (had_token)
    g_print (_("Signed out of %s.\n"), tc_session_get_server (session));
  else
    g_print (_("You were not signed in to %s.\n"), tc_session_get_server (session));
  return TC_CLI_EXIT_OK;
}

/* ---- me ---- */

static int
cmd_me (TcCli  *cli,
        int     argc,
        char  **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 0, 0, &status))
    return status;
  g_autoptr(JsonNode) me = tc_cli_call (cli, "GET", "/auth/me", NULL, &error);
  if (me == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    {
      tc_cli_print_json (cli, me);
      return TC_CLI_EXIT_OK;
    }
  JsonObject *o = tc_cli_obj (me);
  const char *fields[] = {
    _("Name"), tc_cli_str (o, "name"),
    _("E-mail"), tc_cli_str (o, "email"),
    _("Role"), tc_cli_role_text (tc_cli_str (o, "role")),
    _("Organization"), tc_cli_str (o, "organization_name"),
    _("Language"), tc_cli_str (o, "language"),
    _("Time zone"), tc_cli_str (o, "time_zone"),
    _("User id"), tc_cli_str (o, "id"),
    _("Server"), tc_session_get_server (cli->session),
    NULL
  };
  tc_cli_print_fields (fields);
  return TC_CLI_EXIT_OK;
}

/* ---- register ---- */

static int
cmd_register (TcCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *email = NULL;
  g_autofree char *name = NULL;
  g_autofree char *organization = NULL;
  g_autofree char *invite = NULL;
  gboolean password_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "email", 'e', 0, G_OPTION_ARG_STRING, &email, N_("Your e-mail address"), N_("EMAIL") },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("Your name as others will see it"), N_("NAME") },
    { "organization", 'o', 0, G_OPTION_ARG_STRING, &organization,
      N_("Start a new organization with this name, as its admin"), N_("NAME") },
    { "invite", 'i', 0, G_OPTION_ARG_STRING, &invite,
      N_("Join through an invitation (its code or link)"), N_("CODE") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the password from the first line of standard input"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 0, 0, &status))
    return status;
  if ((organization == NULL) == (invite == NULL))
    {
      tc_cli_set_usage_error (&error, _("give either --organization (to start one) or --invite (to join one)"));
      return tc_cli_fail (cli, error);
    }
  if (invite != NULL && (code = tc_cli_invite_code (invite, &error)) == NULL)
    return tc_cli_fail (cli, error);
  if (tc_cli_session (cli, &error) == NULL)
    return tc_cli_fail (cli, error);
  if ((email == NULL && (email = tc_cli_read_line (_("E-mail: "), "--email", &error)) == NULL) ||
      (name == NULL && (name = tc_cli_read_line (_("Name: "), "--name", &error)) == NULL))
    return tc_cli_fail (cli, error);

  g_auto(TcSecret) password = tc_cli_read_password (_("Choose a password: "), password_stdin, TRUE, &error);
  if (password == NULL)
    return tc_cli_fail (cli, error);

  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "name", name);
  json_object_set_string_member (body, "password", password);
  if (organization != NULL)
    json_object_set_string_member (body, "organization", organization);
  else
    json_object_set_string_member (body, "invite_code", code);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "POST", "/auth/register", body, &error);
  if (reply == NULL || !tc_cli_keep_session (cli, reply, &error))
    return tc_cli_fail (cli, error);

  if (cli->json)
    print_signed_in_json (cli, reply);
  else
    {
      JsonObject *user = tc_cli_member_obj (tc_cli_obj (reply), "user");
      g_autofree char *user_name = tc_cli_printable (tc_cli_str (user, "name"));
      g_print (_("Welcome, %s! Your account on %s is ready and you are signed in.\n"),
               user_name, tc_session_get_server (cli->session));
    }
  return TC_CLI_EXIT_OK;
}

const TcCliCommand tc_cli_auth_commands[] = {
  { NULL, "login", NULL, N_("Sign in (the password is asked, or read with --password-stdin)"), cmd_login },
  { NULL, "logout", NULL, N_("Sign out and forget the session"), cmd_logout },
  { NULL, "me", NULL, N_("Show who you are signed in as"), cmd_me },
  { NULL, "register", NULL, N_("Create an account: --email, --name, and --organization or --invite"), cmd_register },
  { NULL }
};
