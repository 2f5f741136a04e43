/* th-cli.c — runs `tandem-cli` as a subprocess for the end-to-end tests. */
#include "th-cli.h"
#include "th-json.h"

#include <glib/gstdio.h>
#include <string.h>

ThCliUser *
th_cli_user_new (const char *server)
{
  g_autoptr(GError) error = NULL;
  ThCliUser *user = g_new0 (ThCliUser, 1);

  user->home = g_dir_make_tmp ("tandem-cli-home-XXXXXX", &error);
  g_assert_no_error (error);
  user->config_dir = g_build_filename (user->home, ".config", NULL);
  user->state_dir = g_build_filename (user->home, ".local", "state", NULL);
  user->server = g_strdup (server);
  return user;
}

void
th_cli_rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            th_cli_rm_rf (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

void
th_cli_user_free (ThCliUser *user)
{
  if (user == NULL)
    return;
  if (g_getenv ("TANDEM_TEST_KEEP") == NULL)
    th_cli_rm_rf (user->home);
  g_free (user->home);
  g_free (user->config_dir);
  g_free (user->state_dir);
  g_free (user->server);
  g_free (user->token);
  g_free (user);
}

char *
th_cli_user_file (ThCliUser  *user,
                  const char *name)
{
  return g_build_filename (user->config_dir, "tandem", name, NULL);
}

static char **
user_environ (ThCliUser *user)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "HOME", user->home, TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", user->config_dir, TRUE);
  env = g_environ_setenv (env, "XDG_STATE_HOME", user->state_dir, TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
  env = user->server != NULL ? g_environ_setenv (env, "TANDEM_SERVER", user->server, TRUE)
                             : g_environ_unsetenv (env, "TANDEM_SERVER");
  env = user->token != NULL ? g_environ_setenv (env, "TANDEM_TOKEN", user->token, TRUE)
                            : g_environ_unsetenv (env, "TANDEM_TOKEN");
  env = user->keyring ? g_environ_unsetenv (env, "TANDEM_NO_KEYRING")
                      : g_environ_setenv (env, "TANDEM_NO_KEYRING", "1", TRUE);
  return env;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  if (text == NULL || *text == '\0' ||
      !json_parser_load_from_data (parser, text, -1, NULL) ||
      json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static GSubprocess *
spawn (ThCliUser          *user,
       const char * const *args,
       GSubprocessFlags    flags)
{
  const char *cli = g_getenv ("TANDEM_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = user_environ (user);

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (flags | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_cwd (launcher, user->home);
  GSubprocess *proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  if (g_test_verbose ())
    {
      g_autofree char *line = g_strjoinv (" ", (char **) args);
      g_test_message ("started tandem-cli %s", line);
    }
  return proc;
}

/* Waits for @proc, feeding @input; the result with parsed JSON. */
static ThCliResult *
collect (GSubprocess *proc,
         const char  *input)
{
  g_autoptr(GError) error = NULL;
  ThCliResult *result = g_new0 (ThCliResult, 1);

  g_subprocess_communicate_utf8 (proc, input, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  result->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  result->json = parse_json (result->out);
  if (g_test_verbose ())
    g_test_message ("tandem-cli → %d\n%s%s", result->status, result->out, result->err);
  return result;
}

ThCliResult *
th_cli_runv (ThCliUser          *user,
             const char         *input,
             const char * const *args)
{
  g_autoptr(GSubprocess) proc = spawn (user, args, G_SUBPROCESS_FLAGS_STDIN_PIPE);
  return collect (proc, input != NULL ? input : "");
}

GSubprocess *
th_cli_spawnv (ThCliUser          *user,
               const char * const *args)
{
  return spawn (user, args, G_SUBPROCESS_FLAGS_STDIN_PIPE);
}

ThCliResult *
th_cli_finish (GSubprocess *proc)
{
  return collect (proc, NULL);
}

ThCliResult *
th_cli_run (ThCliUser  *user,
            const char *input,
            const char *first_arg,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return th_cli_runv (user, input, (const char * const *) args->pdata);
}

void
th_cli_result_free (ThCliResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->json, json_node_unref);
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

JsonNode *
th_cli_json_at (ThCliResult *result,
                const char  *path)
{
  return th_json_node_at (result->json, path);
}

const char *
th_cli_json_str (ThCliResult *result,
                 const char  *path)
{
  JsonNode *node = th_cli_json_at (result, path);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
th_cli_unreachable_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}
