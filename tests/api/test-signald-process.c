/* test-signald-process.c — the real signald binary: starts from options and
 * environment, logs one JSON line per request without secrets, stops
 * cleanly on SIGTERM, and refuses bad settings with exit status 2. */
#include "th-server.h"
#ifdef HAVE_POSTGRES
#include "th-pg.h"
#endif

#include <gio/gio.h>
#include <signal.h>
#include <string.h>

static const char *
binary (void)
{
  const char *path = g_getenv ("SIGNALD_BINARY");
  g_assert_nonnull (path);
  return path;
}

typedef struct {
  GSubprocess *proc;
  GDataInputStream *out;
  char *url;
  char *dir;
  char *pg_db;
} Proc;

static Proc *
proc_start (void)
{
  g_autoptr(GError) error = NULL;
  Proc *p = g_new0 (Proc, 1);
  p->dir = g_dir_make_tmp ("signald-proc-XXXXXX", &error);
  g_assert_no_error (error);

  g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *db = NULL;
  if (th_backend_is_postgres ())
    {
#ifdef HAVE_POSTGRES
      p->pg_db = th_pg_create_database (&error);
      g_assert_no_error (error);
      db = th_pg_url ("TANDEM_TEST_PG_APP", p->pg_db);
      g_autofree char *owner = th_pg_url ("TANDEM_TEST_PG_OWNER", p->pg_db);
      g_subprocess_launcher_setenv (l, "TANDEM_DATABASE_OWNER", owner, TRUE);
#endif
    }
  else
    db = g_strconcat ("sqlite:", p->dir, "/s.db", NULL);
  /* The listen address comes from the environment, the rest from options. */
  g_subprocess_launcher_setenv (l, "TANDEM_LISTEN", "127.0.0.1:0", TRUE);
  p->proc = g_subprocess_launcher_spawn (l, &error, binary (), "--data-dir", p->dir,
                                         "--database", db, "--workers", "2", NULL);
  g_assert_no_error (error);
  p->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->proc));

  g_autofree char *line = g_data_input_stream_read_line_utf8 (p->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_autoptr(JsonParser) parser = json_parser_new ();
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "msg"), ==, "listening");
  p->url = g_strdup (json_object_get_string_member (o, "url"));
  g_assert_true (g_str_has_prefix (p->url, "http://127.0.0.1:"));
  return p;
}

static void
test_logs_and_shutdown (void)
{
  Proc *p = proc_start ();
  g_autoptr(GError) error = NULL;

  ThServer ts = { .url = p->url, .session = soup_session_new () };
  g_autoptr(ThResponse) reg = th_request (&ts, "POST", "/auth/register", NULL,
    "{\"email\":\"log@example.org\",\"password\":\"a secret passphrase 42\",\"name\":\"L\",\"organization\":\"Log\"}");
  g_assert_cmpuint (reg->status, ==, 201);
  g_autofree char *token = g_strdup (th_json_str (reg, "token"));
  g_autofree char *user_id = g_strdup (th_json_str (reg, "user.id"));
  g_autoptr(ThResponse) me = th_request (&ts, "GET", "/auth/me?secret=query-value", token, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_autoptr(ThResponse) bad = th_request (&ts, "GET", "/nowhere", NULL, NULL);
  g_assert_cmpuint (bad->status, ==, 404);
  g_clear_object (&ts.session);

  g_subprocess_send_signal (p->proc, SIGTERM);
  g_subprocess_wait (p->proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (p->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (p->proc), ==, 0);

  guint n = 0;
  gboolean saw_me = FALSE;
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (p->out, NULL, NULL, &error);
      g_assert_no_error (error);
      if (line == NULL)
        break;
      g_assert_null (strstr (line, "a secret passphrase"));
      g_assert_null (strstr (line, token));
      g_assert_null (strstr (line, "query-value"));
      g_autoptr(JsonParser) parser = json_parser_new ();
      json_parser_load_from_data (parser, line, -1, &error);
      g_assert_no_error (error);
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member_with_default (o, "msg", ""), "request") != 0)
        continue;
      n++;
      g_assert_true (json_object_has_member (o, "method"));
      g_assert_true (json_object_has_member (o, "status"));
      g_assert_true (json_object_has_member (o, "duration_ms"));
      g_assert_true (json_object_has_member (o, "user_id"));
      if (g_strcmp0 (json_object_get_string_member (o, "path"), "/auth/me") == 0)
        {
          saw_me = TRUE;
          g_assert_cmpstr (json_object_get_string_member (o, "user_id"), ==, user_id);
          g_assert_cmpint (json_object_get_int_member (o, "status"), ==, 200);
        }
    }
  g_assert_cmpuint (n, ==, 3);
  g_assert_true (saw_me);

#ifdef HAVE_POSTGRES
  if (p->pg_db != NULL)
    th_pg_drop_database (p->pg_db);
#endif
  g_object_unref (p->out);
  g_object_unref (p->proc);
  g_free (p->url);
  g_free (p->pg_db);
  g_free (p->dir);
  g_free (p);
}

static void
test_bad_settings (void)
{
  g_autoptr(GError) error = NULL;
  const char *const bad[][3] = {
    { "--listen", "no-port-here", NULL },
    { "--config", "/nonexistent/signald.conf", NULL },
    { "--no-such-option", NULL, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                                      binary (), bad[i][0], bad[i][1], NULL);
      g_assert_no_error (error);
      g_autofree char *err_text = NULL;
      g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err_text, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
      g_assert_true (g_str_has_prefix (err_text, "signald: "));
    }
  /* An unsupported database URL is a start-up failure (1), with a reason. */
  g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                  G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                                  binary (), "--database", "mysql://x", "--listen",
                                                  "127.0.0.1:0", "--data-dir", g_get_tmp_dir (), NULL);
  g_autofree char *err_text = NULL;
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err_text, &error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (strstr (err_text, "unsupported database URL"));
}

int
main (int argc, char *argv[])
{
  th_init (&argc, &argv);
  g_test_add_func ("/Signald/process/logs-and-shutdown", test_logs_and_shutdown);
  g_test_add_func ("/Signald/process/bad-settings", test_bad_settings);
  return g_test_run ();
}
