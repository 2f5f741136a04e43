/* tc-cli.c — `tandem-cli` dispatch: global options, finding the command in
 * the families' tables, per-command option parsing, and the calls to the
 * server that every command makes the same way. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

#include <string.h>

/* Pages fetched at most when following next_cursor (100 items each). */
#define MAX_LIST_PAGES 1000

static const TcCliCommand *const families[] = {
  tc_cli_auth_commands,
  tc_cli_groups_commands,
  tc_cli_invite_commands,
  tc_cli_status_commands,
  tc_cli_upload_commands,
  tc_cli_assets_commands,
  tc_cli_review_commands,
  tc_cli_play_commands,
  tc_cli_session_types_commands,
  tc_cli_availability_commands,
  tc_cli_bookings_commands,
  tc_cli_call_commands,
  NULL
};

/* Other spellings of a family: `asset finalize` is `assets finalize`. */
static const struct {
  const char *alias;
  const char *family;
} family_aliases[] = {
  { "asset", "assets" },
  { "reviews", "review" },
  { "session-type", "session-types" },
  { "blocked", "block" },
  { "blocks", "block" },
};

static const char *
canonical_family (const char *word)
{
  for (gsize i = 0; i < G_N_ELEMENTS (family_aliases); i++)
    if (g_str_equal (word, family_aliases[i].alias))
      return family_aliases[i].family;
  return word;
}

void
tc_cli_set_usage_error (GError     **error,
                        const char  *format,
                        ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, message);
}

/* ---- global options ---- */

static gboolean
server_option_cb (const char  *option_name,
                  const char  *value,
                  gpointer     data,
                  GError     **error)
{
  TcCli *cli = data;
  g_free (cli->server);
  cli->server = g_strdup (value);
  return TRUE;
}

/* A main group holding @entries (may be NULL) and the global options; the
 * callbacks get @cli. */
static GOptionGroup *
main_group (TcCli              *cli,
            const GOptionEntry *entries)
{
  const GOptionEntry global_entries[] = {
    { "server", 's', 0, G_OPTION_ARG_CALLBACK, (gpointer) server_option_cb,
      N_("The Tandem server (default: $TANDEM_SERVER, else the last one used)"), N_("URL") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json,
      N_("Print one JSON document instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionGroup *group = g_option_group_new (NULL, NULL, NULL, cli, NULL);

  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_group_add_entries (group, entries);
  g_option_group_add_entries (group, global_entries);
  return group;
}

/* "groups create" for the running command. */
static char *
command_words (const TcCliCommand *command)
{
  return command->family != NULL ? g_strdup_printf ("%s %s", command->family, command->name)
                                 : g_strdup (command->name);
}

/* Prints a usage error with a pointer to the help; returns the status. */
static int
usage_failure (TcCli        *cli,
               const GError *error)
{
  int status = tc_cli_fail (cli, error);
  g_autofree char *words = cli->command != NULL ? command_words (cli->command) : NULL;

  if (words != NULL)
    g_printerr (_("Try “%s %s --help”.\n"), g_get_prgname (), words);
  else
    g_printerr (_("Try “%s --help”.\n"), g_get_prgname ());
  return status;
}

/* Passwords on the command line end up in the shell history and in every
 * process listing: refuse them outright, whatever the command. */
static gboolean
check_no_password_argument (int       argc,
                            char    **argv,
                            GError  **error)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_equal (argv[i], "--password") || g_str_has_prefix (argv[i], "--password="))
        {
          tc_cli_set_usage_error (error,
                                  _("passwords are not accepted as arguments; use --password-stdin or type it when asked"));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
tc_cli_parse (TcCli              *cli,
              const GOptionEntry *entries,
              int                *argc,
              char             ***argv,
              int                 min_args,
              int                 max_args,
              int                *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *words = command_words (cli->command);
  g_autofree char *parameters = cli->command->parameters != NULL
                                ? g_strdup_printf ("%s %s", words, cli->command->parameters)
                                : g_strdup (words);
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(cli->command->summary));
  g_option_context_set_main_group (context, main_group (cli, entries));

  if (!check_no_password_argument (*argc, *argv, &error) ||
      !g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_failure (cli, error);
      return FALSE;
    }

  int n = *argc - 1;
  if (n < min_args)
    tc_cli_set_usage_error (&error, _("“%s” needs more arguments: %s"), words,
                            cli->command->parameters != NULL ? cli->command->parameters : "");
  else if (max_args >= 0 && n > max_args)
    tc_cli_set_usage_error (&error, _("unexpected argument “%s”"), (*argv)[1 + max_args]);
  if (error != NULL)
    {
      *status = usage_failure (cli, error);
      return FALSE;
    }
  return TRUE;
}

/* ---- calls ---- */

TcSession *
tc_cli_session (TcCli   *cli,
                GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (cli->session == NULL &&
      (cli->session = tc_session_new (cli->server, &local_error)) == NULL)
    {
      /* A malformed server address is a mistake on the command line (or in
       * $TANDEM_SERVER), not something the server said. */
      tc_cli_set_usage_error (error, "%s", local_error->message);
      return NULL;
    }
  return cli->session;
}

JsonNode *
tc_cli_call (TcCli       *cli,
             const char  *method,
             const char  *path,
             JsonObject  *body,
             GError     **error)
{
  TcSession *session = tc_cli_session (cli, error);
  if (session == NULL)
    return NULL;
  return tandem_api_client_call_sync (tc_session_get_client (session), method, path, body, NULL, error);
}

JsonNode *
tc_cli_call_list (TcCli       *cli,
                  const char  *path,
                  GError     **error)
{
  JsonArray *all = json_array_new ();
  g_autoptr(JsonObject) result = json_object_new ();
  g_autofree char *cursor = NULL;
  const char *sep = strchr (path, '?') != NULL ? "&" : "?";

  json_object_set_array_member (result, "items", all);
  for (guint page = 0; page < MAX_LIST_PAGES; page++)
    {
      g_autofree char *escaped = cursor != NULL ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *page_path = escaped != NULL
                                   ? g_strdup_printf ("%s%slimit=100&cursor=%s", path, sep, escaped)
                                   : g_strdup_printf ("%s%slimit=100", path, sep);
      g_autoptr(JsonNode) reply = tc_cli_call (cli, "GET", page_path, NULL, error);
      if (reply == NULL)
        return NULL;

      JsonObject *object = tc_cli_obj (reply);
      JsonNode *items = object != NULL ? json_object_get_member (object, "items") : NULL;
      if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                       _("the server sent a list without “items”"));
          return NULL;
        }
      JsonArray *array = json_node_get_array (items);
      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (array, i)));

      const char *next = tc_cli_str (object, "next_cursor");
      if (next == NULL || *next == '\0')
        break;
      g_free (cursor);
      cursor = g_strdup (next);
    }

  json_object_set_null_member (result, "next_cursor");
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, result);
  return node;
}

/* ---- dispatch ---- */

static char *
commands_help (void)
{
  GString *text = g_string_new (_("Commands:"));
  gsize width = 0;

  for (guint f = 0; families[f] != NULL; f++)
    for (const TcCliCommand *c = families[f]; c->name != NULL; c++)
      {
        g_autofree char *words = command_words (c);
        gsize len = strlen (words) + (c->parameters != NULL ? strlen (c->parameters) + 1 : 0);
        width = MAX (width, len);
      }
  for (guint f = 0; families[f] != NULL; f++)
    for (const TcCliCommand *c = families[f]; c->name != NULL; c++)
      {
        g_autofree char *words = command_words (c);
        g_autofree char *usage = c->parameters != NULL ? g_strdup_printf ("%s %s", words, c->parameters)
                                                       : g_strdup (words);
        g_string_append_printf (text, "\n  %-*s  %s", (int) width, usage, _(c->summary));
      }
  g_string_append_printf (text, "\n\n%s",
                          _("Exit status: 0 done, 1 the server said no, 2 wrong usage, 3 server unreachable, "
                            "130 interrupted (an upload resumes when run again)."));
  return g_string_free (text, FALSE);
}

static const TcCliCommand *
find_command (const char  *family,
              const char  *name)
{
  for (guint f = 0; families[f] != NULL; f++)
    for (const TcCliCommand *c = families[f]; c->name != NULL; c++)
      if (g_strcmp0 (c->family, family) == 0 && g_strcmp0 (c->name, name) == 0)
        return c;
  return NULL;
}

/* The names of the commands in @family, "list, create, members". */
static char *
family_commands (const char *family)
{
  GString *names = g_string_new (NULL);
  for (guint f = 0; families[f] != NULL; f++)
    for (const TcCliCommand *c = families[f]; c->name != NULL; c++)
      if (g_strcmp0 (c->family, family) == 0)
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", c->name);
  return g_string_free (names, names->len == 0);
}

static void
print_version (TcCli *cli)
{
  if (cli->json)
    {
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "name", "tandem-cli");
      json_object_set_string_member (o, "version", PACKAGE_VERSION);
      tc_cli_print_object (cli, o);
    }
  else
    g_print ("tandem-cli %s\n", PACKAGE_VERSION);
}

/* Parses the global options, finds the command and runs it. */
static int
run (TcCli  *cli,
     int     argc,
     char  **argv)
{
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("COMMAND [ARGUMENT…]"));
  g_autoptr(GError) error = NULL;
  g_autofree char *help = commands_help ();

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Tandem in the terminal: sign in, manage groups and invitations, upload and review videos."));
  g_option_context_set_description (context, help);
  /* Stop at the command: its own options are parsed by the command. */
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_set_main_group (context, main_group (cli, entries));

  if (!check_no_password_argument (argc, argv, &error) ||
      !g_option_context_parse (context, &argc, &argv, &error))
    return usage_failure (cli, error);
  if (version)
    {
      print_version (cli);
      return TC_CLI_EXIT_OK;
    }
  if (argc < 2 || g_str_equal (argv[1], "help"))
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);
      if (argc < 2)
        {
          g_printerr ("%s", text);
          return TC_CLI_EXIT_USAGE;
        }
      g_print ("%s", text);
      return TC_CLI_EXIT_OK;
    }

  int used = 2;
  cli->command = find_command (NULL, argv[1]);
  if (cli->command == NULL)
    {
      const char *family = canonical_family (argv[1]);
      g_autofree char *names = family_commands (family);
      if (names == NULL)
        tc_cli_set_usage_error (&error, _("unknown command “%s”"), argv[1]);
      else if (argc < 3)
        tc_cli_set_usage_error (&error, _("“%s” needs a command: %s"), argv[1], names);
      else if ((cli->command = find_command (family, argv[2])) == NULL)
        tc_cli_set_usage_error (&error, _("unknown command “%s %s”; “%s” has: %s"),
                                argv[1], argv[2], argv[1], names);
      used = 3;
    }
  if (error != NULL)
    return usage_failure (cli, error);

  /* The command sees its own words as argv[0], then its arguments. */
  g_autofree char **sub_argv = g_new0 (char *, argc - used + 2);
  g_autofree char *words = command_words (cli->command);
  sub_argv[0] = words;
  for (int i = used; i < argc; i++)
    sub_argv[i - used + 1] = argv[i];
  return cli->command->func (cli, argc - used + 1, sub_argv);
}

int
tc_cli_main (int    argc,
             char **argv)
{
  TcCli cli = { 0 };
  int status = run (&cli, argc, argv);

  g_clear_object (&cli.session);
  g_clear_pointer (&cli.me, json_node_unref);
  g_free (cli.server);
  return status;
}
