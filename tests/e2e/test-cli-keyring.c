/* test-cli-keyring.c — with a secret service running, `tandem-cli` keeps the
 * session in the keyring and writes no token file.
 *
 * The program re-executes itself under `dbus-run-session` with a private
 * HOME, starts `gnome-keyring-daemon --unlock` on that bus, and drives the
 * real CLI against an in-process signald.  It skips (TAP "1..0 # SKIP") only
 * when dbus-run-session or gnome-keyring-daemon is not installed. */
#include "th-cli.h"
#include "th-server.h"

#include "tc-keyring.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define INSIDE_ENV "TANDEM_TEST_KEYRING_BUS"

static ThServer *ts;
static GSubprocess *keyring_daemon;
static char *keyring_home;

/* ---- the private session bus and keyring ---- */

/* Re-runs this program under dbus-run-session; returns only on failure. */
static int
reexec_under_dbus (int    argc,
                   char **argv)
{
  g_autofree char *dbus_run = g_find_program_in_path ("dbus-run-session");
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");

  if (dbus_run == NULL || daemon == NULL)
    {
      g_print ("1..0 # SKIP %s is not installed\n", dbus_run == NULL ? "dbus-run-session" : "gnome-keyring-daemon");
      return 0;
    }

  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_ptr_array_add (args, dbus_run);
  g_ptr_array_add (args, (gpointer) "--");
  for (int i = 0; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);

  g_setenv (INSIDE_ENV, "1", TRUE);
  execv (dbus_run, (char **) args->pdata);
  g_printerr ("cannot run %s: %s\n", dbus_run, g_strerror (errno));
  return 1;
}

static gboolean
secrets_service_ready (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                 "org.freedesktop.DBus", "NameHasOwner",
                                 g_variant_new ("(s)", "org.freedesktop.secrets"),
                                 G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  gboolean owned = FALSE;
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* Points HOME and XDG_* at a fresh directory and starts an unlocked
 * keyring (login collection, new password) on the session bus. */
static void
start_keyring (void)
{
  g_autoptr(GError) error = NULL;

  keyring_home = g_dir_make_tmp ("tandem-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *config = g_build_filename (keyring_home, ".config", NULL);
  g_autofree char *data = g_build_filename (keyring_home, ".local", "share", NULL);
  g_autofree char *cache = g_build_filename (keyring_home, ".cache", NULL);
  g_autofree char *runtime = g_build_filename (keyring_home, "run", NULL);
  g_mkdir_with_parents (runtime, 0700);
  g_setenv ("HOME", keyring_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  keyring_daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                                "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  GOutputStream *in = g_subprocess_get_stdin_pipe (keyring_daemon);
  g_output_stream_write_all (in, "keyring test password", strlen ("keyring test password"), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (in, NULL, &error);
  g_assert_no_error (error);

  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!secrets_service_ready (bus))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("gnome-keyring-daemon did not come up on the session bus");
      g_usleep (50000);
    }
}

static void
stop_keyring (void)
{
  if (keyring_daemon != NULL)
    {
      g_subprocess_force_exit (keyring_daemon);
      g_subprocess_wait (keyring_daemon, NULL, NULL);
      g_clear_object (&keyring_daemon);
    }
  if (keyring_home != NULL && g_getenv ("TANDEM_TEST_KEEP") == NULL)
    th_cli_rm_rf (keyring_home);
  g_clear_pointer (&keyring_home, g_free);
}

/* ---- tests ---- */

static void
test_token_in_keyring (void)
{
  g_autoptr(ThCliUser) user = th_cli_user_new (ts->url);
  g_autofree char *session_file = th_cli_user_file (user, "session.json");
  g_autoptr(GError) error = NULL;

  user->keyring = TRUE;
  g_autoptr(ThCliResult) reg = th_cli_run (user, TH_PASSWORD "\n", "register", "--email", "kim@keyring.example",
                                           "--name", "Kim", "--organization", "Keyring Club",
                                           "--password-stdin", NULL);
  th_cli_assert_status (reg, 0);
  g_assert_cmpstr (reg->err, ==, "");        /* no fallback warning */
  g_assert_false (g_file_test (session_file, G_FILE_TEST_EXISTS));

  /* The secret is in the keyring, under the server's URL. */
  g_autofree char *token = tc_keyring_lookup (ts->url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_true (g_str_has_prefix (token, "tds_"));
  g_assert_null (strstr (reg->out, token));

  /* Later commands find it there. */
  g_autoptr(ThCliResult) me = th_cli_run (user, NULL, "--json", "me", NULL);
  th_cli_assert_status (me, 0);
  g_assert_cmpstr (th_cli_json_str (me, "email"), ==, "kim@keyring.example");
  g_autoptr(ThCliResult) status = th_cli_run (user, NULL, "--json", "status", NULL);
  th_cli_assert_status (status, 0);
  g_assert_cmpstr (th_cli_json_str (status, "session"), ==, "keyring");

  /* A new login replaces the secret. */
  g_autoptr(ThCliResult) login = th_cli_run (user, TH_PASSWORD, "login", "--email", "kim@keyring.example",
                                             "--password-stdin", NULL);
  th_cli_assert_status (login, 0);
  g_assert_cmpstr (login->err, ==, "");
  g_autofree char *token2 = tc_keyring_lookup (ts->url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token2);
  g_assert_cmpstr (token2, !=, token);
  g_assert_false (g_file_test (session_file, G_FILE_TEST_EXISTS));

  /* logout removes it. */
  g_autoptr(ThCliResult) out = th_cli_run (user, NULL, "logout", NULL);
  th_cli_assert_status (out, 0);
  g_autofree char *none = tc_keyring_lookup (ts->url, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  g_autoptr(ThCliResult) gone = th_cli_run (user, NULL, "me", NULL);
  th_cli_assert_status (gone, 1);
}

static void
test_no_keyring_forces_file (void)
{
  g_autoptr(ThCliUser) user = th_cli_user_new (ts->url);
  g_autofree char *session_file = th_cli_user_file (user, "session.json");
  g_autoptr(GError) error = NULL;

  /* TANDEM_NO_KEYRING=1 (keyring = FALSE) even though a keyring runs. */
  g_autoptr(ThCliResult) reg = th_cli_run (user, TH_PASSWORD, "register", "--email", "lee@keyring.example",
                                           "--name", "Lee", "--organization", "File Club",
                                           "--password-stdin", NULL);
  th_cli_assert_status (reg, 0);
  g_assert_nonnull (strstr (reg->err, "no keyring available"));
  g_assert_true (g_file_test (session_file, G_FILE_TEST_IS_REGULAR));
  g_autofree char *in_keyring = tc_keyring_lookup (ts->url, &error);
  g_assert_no_error (error);
  g_assert_null (in_keyring);
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv (INSIDE_ENV) == NULL)
    return reexec_under_dbus (argc, argv);

  th_init (&argc, &argv);
  start_keyring ();
  ts = th_server_start ();

  g_test_add_func ("/cli-keyring/token-in-keyring", test_token_in_keyring);
  g_test_add_func ("/cli-keyring/no-keyring-forces-file", test_no_keyring_forces_file);

  int status = g_test_run ();
  th_server_stop (ts);
  stop_keyring ();
  return status;
}
