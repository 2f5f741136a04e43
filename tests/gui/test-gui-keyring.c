/* test-gui-keyring.c — the desktop app's session (TgSession) in a real
 * keyring: signing in stores the token through libsecret (no file), a new
 * start finds it, the terminal client's keyring code reads the same
 * secret, and signing out removes it.  Runs under dbus-run-session (see
 * meson.build) with its own unlocked gnome-keyring-daemon and HOME; no
 * display needed. */
#include "th-server.h"

#include "tc-keyring.h"
#include "tg-session.h"
#include "tg-util.h"

#include <glib/gstdio.h>
#include <string.h>

static ThServer *ts;
static GSubprocess *daemon_process;
static char *home;

#define EMAIL "keyring@club.example"

/* ---- the keyring ---- */

static gboolean
secrets_owned (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                 "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.secrets"),
                                 G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  gboolean owned = FALSE;
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* A private HOME and an unlocked keyring on this session bus. */
static void
start_keyring (void)
{
  g_autoptr(GError) error = NULL;
  const char *dirs[][2] = { { "HOME", "" }, { "XDG_CONFIG_HOME", "config" }, { "XDG_DATA_HOME", "data" },
                            { "XDG_CACHE_HOME", "cache" }, { "XDG_RUNTIME_DIR", "run" } };

  home = g_dir_make_tmp ("tandem-gui-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (home, dirs[i][1], NULL);
      g_mkdir_with_parents (path, 0700);
      g_setenv (dirs[i][0], path, TRUE);
    }
  g_unsetenv ("TANDEM_NO_KEYRING");
  g_unsetenv ("TANDEM_TOKEN");

  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  daemon_process = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                                "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  GOutputStream *in = g_subprocess_get_stdin_pipe (daemon_process);
  g_assert_true (g_output_stream_write_all (in, "unlock me", 9, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (in, NULL, &error));

  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; !secrets_owned (bus); i++)
    {
      g_assert_cmpuint (i, <, 400);
      g_usleep (50000);
    }
}

/* ---- waiting ---- */

typedef gboolean (*Finish) (TgSession *, GAsyncResult *, GError **);

typedef struct {
  Finish finish;
  gboolean done;
  gboolean ok;
  GError *error;
} Result;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;
  r->ok = r->finish (TG_SESSION (source), result, &r->error);
  r->done = TRUE;
}

/* Runs the main loop until the call of @r is over; its outcome. */
static gboolean
run (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r->error);
  return r->ok;
}

static char *
token_file (void)
{
  return g_build_filename (home, "config", "tandem", "session.json", NULL);
}

/* ---- test ---- */

static void
test_keyring (void)
{
  g_autoptr(TgSession) session = tg_session_new ();
  g_assert_true (tg_session_set_server (session, ts->url, NULL));

  Result in = { .finish = tg_session_sign_in_finish };
  tg_session_sign_in_async (session, EMAIL, TH_PASSWORD, NULL, done_cb, &in);
  g_assert_true (run (&in));
  g_assert_true (tg_session_get_in_keyring (session));
  g_autofree char *file = token_file ();
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));

  /* The terminal client finds the same session. */
  g_autoptr(GError) error = NULL;
  g_auto(TcSecret) stored = tc_keyring_lookup (tg_session_get_server (session), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, tandem_api_client_get_token (tg_session_get_client (session)));

  /* The next start signs in from the keyring. */
  g_autoptr(TgSession) next = tg_session_new ();
  g_assert_true (tg_session_set_server (next, ts->url, NULL));
  Result restored = { .finish = tg_session_restore_finish };
  tg_session_restore_async (next, NULL, done_cb, &restored);
  g_assert_true (run (&restored));
  g_assert_cmpstr (tg_json_string (tg_session_get_user (next), "email"), ==, EMAIL);

  /* Signing out removes the secret. */
  Result out = { .finish = tg_session_sign_out_finish };
  tg_session_sign_out_async (next, NULL, done_cb, &out);
  g_assert_true (run (&out));
  g_auto(TcSecret) gone = tc_keyring_lookup (ts->url, &error);
  g_assert_no_error (error);
  g_assert_null (gone);
}

int
main (int    argc,
      char **argv)
{
  if (g_find_program_in_path ("gnome-keyring-daemon") == NULL)
    {
      g_print ("1..0 # SKIP gnome-keyring-daemon is not installed\n");
      return 0;
    }
  start_keyring ();
  th_init (&argc, &argv);
  ts = th_server_start ();
  g_autofree char *admin = th_register_admin (ts, "admin@club.example", "Club", NULL);
  g_free (th_add_user (ts, admin, EMAIL, "student", NULL));

  g_test_add_func ("/Gui/session/keyring", test_keyring);
  int status = g_test_run ();

  th_server_stop (ts);
  g_subprocess_force_exit (daemon_process);
  g_subprocess_wait (daemon_process, NULL, NULL);
  g_clear_object (&daemon_process);
  return status;
}
