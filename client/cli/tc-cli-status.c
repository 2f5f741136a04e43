/* tc-cli-status.c — `tandem-cli status`: which server, whether it answers
 * (GET /health, GET /version) and who is signed in (GET /auth/me).
 *
 * Exit status: 0 when the server answers, signed in or not; 3 when it
 * cannot be reached; 1 when it answers but is unwell or refuses. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

static const char *
source_name (TcSessionStore source)
{
  switch (source)
    {
    case TC_SESSION_STORE_ENV:
      return "environment";
    case TC_SESSION_STORE_KEYRING:
      return "keyring";
    case TC_SESSION_STORE_FILE:
      return "file";
    case TC_SESSION_STORE_NONE:
    default:
      return NULL;
    }
}

static char *
source_text (TcSessionStore source)
{
  switch (source)
    {
    case TC_SESSION_STORE_ENV:
      return g_strdup (_("from $TANDEM_TOKEN"));
    case TC_SESSION_STORE_KEYRING:
      return g_strdup (_("in the keyring"));
    case TC_SESSION_STORE_FILE:
      {
        g_autofree char *path = tc_session_token_file_path ();
        return g_strdup_printf (_("in %s"), path);
      }
    case TC_SESSION_STORE_NONE:
    default:
      return NULL;
    }
}

static JsonObject *
error_object (const GError *error)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "code", error->domain == TANDEM_ERROR
                                            ? tandem_error_code_name (error->code) : "failed");
  json_object_set_string_member (o, "message", error->message);
  return o;
}

static int
cmd_status (TcCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 0, 0, &status))
    return status;
  TcSession *session = tc_cli_session (cli, &error);
  if (session == NULL)
    return tc_cli_fail (cli, error);

  const char *server = tc_session_get_server (session);
  g_autoptr(GError) health_error = NULL;
  g_autoptr(GError) me_error = NULL;
  g_autoptr(JsonNode) health = tc_cli_call (cli, "GET", "/health", NULL, &health_error);
  gboolean reachable = !g_error_matches (health_error, TANDEM_ERROR, TANDEM_ERROR_NETWORK);
  g_autoptr(JsonNode) version = reachable ? tc_cli_call (cli, "GET", "/version", NULL, NULL) : NULL;
  g_autoptr(JsonNode) me = NULL;
  gboolean has_token = tc_session_has_token (session);

  if (health != NULL && has_token)
    me = tc_cli_call (cli, "GET", "/auth/me", NULL, &me_error);
  /* An expired or revoked session simply means "signed out". */
  if (g_error_matches (me_error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED))
    g_clear_error (&me_error);

  const char *version_text = tc_cli_str (tc_cli_obj (version), "version");
  GError *failure = health_error != NULL ? health_error : me_error;

  if (cli->json)
    {
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "server", server);
      json_object_set_boolean_member (o, "reachable", reachable);
      if (version_text != NULL)
        json_object_set_string_member (o, "version", version_text);
      if (health != NULL)
        json_object_set_member (o, "health", json_node_copy (health));
      if (health != NULL && me_error == NULL)
        json_object_set_boolean_member (o, "signed_in", me != NULL);
      else
        json_object_set_null_member (o, "signed_in");
      if (me != NULL)
        {
          json_object_set_member (o, "user", json_node_copy (me));
          json_object_set_string_member (o, "session", source_name (tc_session_get_token_source (session)));
        }
      if (failure != NULL)
        json_object_set_object_member (o, "error", error_object (failure));
      tc_cli_print_object (cli, o);
    }
  else
    {
      g_autofree char *reach = NULL;
      g_autofree char *signed_in = NULL;
      g_autofree char *where = NULL;

      if (!reachable)
        reach = g_strdup (_("no"));
      else if (health_error != NULL)
        reach = g_strdup_printf (_("yes, but it is not well: %s"), health_error->message);
      else if (version_text != NULL)
        reach = g_strdup_printf (_("yes (signald %s)"), version_text);
      else
        reach = g_strdup (_("yes"));

      if (me != NULL)
        {
          JsonObject *u = tc_cli_obj (me);
          signed_in = g_strdup_printf (_("as %s <%s> (%s, %s)"),
                                       tc_cli_str (u, "name"), tc_cli_str (u, "email"),
                                       tc_cli_role_text (tc_cli_str (u, "role")), tc_cli_str (u, "organization_name"));
          where = source_text (tc_session_get_token_source (session));
        }
      else if (health != NULL && me_error == NULL)
        signed_in = g_strdup_printf (has_token ? _("no (the session has expired; run “%s login”)")
                                               : _("no (run “%s login”)"),
                                     g_get_prgname ());
      else if (me_error != NULL)
        signed_in = g_strdup_printf (_("unknown: %s"), me_error->message);

      const char *fields[] = {
        _("Server"), server,
        _("Reachable"), reach,
        _("Signed in"), signed_in,
        _("Session"), where,
        NULL
      };
      tc_cli_print_fields (fields);
    }

  if (failure != NULL)
    {
      g_autofree char *line = tc_cli_printable (failure->message);
      g_printerr ("%s: %s\n", g_get_prgname (), line);
      return failure->domain == TANDEM_ERROR && failure->code == TANDEM_ERROR_NETWORK
             ? TC_CLI_EXIT_NETWORK : TC_CLI_EXIT_REFUSED;
    }
  return TC_CLI_EXIT_OK;
}

const TcCliCommand tc_cli_status_commands[] = {
  { NULL, "status", NULL, N_("Show the server, whether it answers, and who is signed in"), cmd_status },
  { NULL }
};
