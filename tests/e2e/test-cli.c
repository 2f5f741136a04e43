/* test-cli.c — the real `tandem-cli` binary against a real in-process
 * signald: accounts, sessions (fallback file), groups, status and exit
 * codes, and the whole invitation flow through the e-mail spool.
 *
 * Every simulated user has a private HOME; TANDEM_NO_KEYRING=1 keeps the
 * desktop keyring out (test-cli-keyring covers it). */
#include "th-cli.h"
#include "th-server.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static ThServer *ts;

/* ---- helpers ---- */

/* A user (HOME) who registered a new organization through the CLI. */
static ThCliUser *
register_admin (const char *email,
                const char *organization)
{
  ThCliUser *user = th_cli_user_new (ts->url);
  g_autofree char *name = g_strdup_printf ("Admin of %s", organization);
  g_autoptr(ThCliResult) r = th_cli_run (user, TH_PASSWORD "\n", "register", "--email", email,
                                         "--name", name, "--organization", organization,
                                         "--password-stdin", NULL);
  th_cli_assert_status (r, 0);
  return user;
}

/* The token saved in @user's fallback file for the test server, or NULL. */
static char *
saved_token (ThCliUser *user)
{
  g_autofree char *path = th_cli_user_file (user, "session.json");
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  JsonObject *sessions = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                                        "sessions");
  if (!json_object_has_member (sessions, ts->url))
    return NULL;
  return g_strdup (json_object_get_string_member (json_object_get_object_member (sessions, ts->url), "token"));
}

static guint
file_mode (const char *path)
{
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* Every line of @text has its value starting in the same column. */
static void
assert_fields_aligned (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  int column = -1;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        continue;
      const char *colon = strchr (lines[i], ':');
      g_assert_nonnull (colon);
      const char *value = colon + 1;
      while (*value == ' ')
        value++;
      int here = (int) (value - lines[i]);
      if (column < 0)
        column = here;
      g_assert_cmpint (here, ==, column);
    }
  g_assert_cmpint (column, >, 0);
}

/* ---- accounts and sessions ---- */

static void
test_register_login_me (void)
{
  g_autoptr(ThCliUser) ada = th_cli_user_new (ts->url);
  g_autofree char *session_file = th_cli_user_file (ada, "session.json");
  g_autofree char *client_ini = th_cli_user_file (ada, "client.ini");

  g_autoptr(ThCliResult) reg = th_cli_run (ada, TH_PASSWORD "\n", "register",
                                           "--email", "ada@cli.example", "--name", "Ada Lovelace",
                                           "--organization", "Analytical Club", "--password-stdin", NULL);
  th_cli_assert_status (reg, 0);
  g_assert_nonnull (strstr (reg->out, "Welcome, Ada Lovelace!"));
  /* No keyring: the token went to the 0600 file, and the user was told once. */
  g_autofree char *warning = g_strdup_printf ("tandem-cli: no keyring available; the session token is stored in %s\n",
                                              session_file);
  g_assert_cmpstr (reg->err, ==, warning);
  g_assert_cmpuint (file_mode (session_file), ==, 0600);
  g_autofree char *dir = g_path_get_dirname (session_file);
  g_assert_cmpuint (file_mode (dir), ==, 0700);
  g_autofree char *token = saved_token (ada);
  g_assert_nonnull (token);
  g_assert_true (g_str_has_prefix (token, "tds_"));
  g_assert_null (strstr (reg->out, token));
  g_assert_null (strstr (reg->err, token));
  g_assert_null (strstr (reg->out, TH_PASSWORD));

  /* The server is remembered for next time. */
  g_autofree char *ini = NULL;
  g_assert_true (g_file_get_contents (client_ini, &ini, NULL, NULL));
  g_autofree char *line = g_strdup_printf ("server=%s\n", ts->url);
  g_assert_nonnull (strstr (ini, line));

  /* me, for people: aligned fields. */
  g_autoptr(ThCliResult) me = th_cli_run (ada, NULL, "me", NULL);
  th_cli_assert_status (me, 0);
  g_assert_nonnull (strstr (me->out, "ada@cli.example"));
  g_assert_nonnull (strstr (me->out, "Analytical Club"));
  g_assert_nonnull (strstr (me->out, "admin"));
  g_assert_cmpstr (me->err, ==, "");
  assert_fields_aligned (me->out);

  /* me --json: the server's document, --json anywhere on the line. */
  g_autoptr(ThCliResult) mej = th_cli_run (ada, NULL, "me", "--json", NULL);
  th_cli_assert_status (mej, 0);
  g_assert_nonnull (mej->json);
  g_assert_cmpstr (th_cli_json_str (mej, "email"), ==, "ada@cli.example");
  g_assert_cmpstr (th_cli_json_str (mej, "organization_name"), ==, "Analytical Club");
  g_assert_cmpstr (th_cli_json_str (mej, "role"), ==, "admin");
  g_autoptr(ThCliResult) mej2 = th_cli_run (ada, NULL, "--json", "me", NULL);
  th_cli_assert_status (mej2, 0);
  g_assert_cmpstr (th_cli_json_str (mej2, "id"), ==, th_cli_json_str (mej, "id"));

  /* logout ends the session and forgets it. */
  g_autoptr(ThCliResult) out = th_cli_run (ada, NULL, "logout", NULL);
  th_cli_assert_status (out, 0);
  g_assert_nonnull (strstr (out->out, "Signed out"));
  g_assert_false (g_file_test (session_file, G_FILE_TEST_EXISTS));
  g_autoptr(ThResponse) revoked = th_request (ts, "GET", "/auth/me", token, NULL);
  g_assert_cmpuint (revoked->status, ==, 401);

  g_autoptr(ThCliResult) gone = th_cli_run (ada, NULL, "me", NULL);
  th_cli_assert_status (gone, 1);
  g_assert_cmpstr (gone->out, ==, "");
  g_assert_cmpstr (gone->err, ==, "tandem-cli: you are not signed in; sign in with “tandem-cli login”\n");

  g_autoptr(ThCliResult) again = th_cli_run (ada, NULL, "logout", NULL);
  th_cli_assert_status (again, 0);
  g_assert_nonnull (strstr (again->out, "not signed in"));

  /* login with --password-stdin */
  g_autoptr(ThCliResult) login = th_cli_run (ada, TH_PASSWORD "\n", "login", "--email", "ada@cli.example",
                                             "--password-stdin", NULL);
  th_cli_assert_status (login, 0);
  g_autofree char *signed_in = g_strdup_printf ("Signed in to %s as Ada Lovelace <ada@cli.example>.\n", ts->url);
  g_assert_cmpstr (login->out, ==, signed_in);
  g_assert_cmpuint (file_mode (session_file), ==, 0600);
  g_autofree char *token2 = saved_token (ada);
  g_assert_nonnull (token2);
  g_assert_cmpstr (token2, !=, token);

  g_autoptr(ThCliResult) me2 = th_cli_run (ada, NULL, "me", NULL);
  th_cli_assert_status (me2, 0);

  /* login --json: the user, never the token. */
  g_autoptr(ThCliResult) loginj = th_cli_run (ada, TH_PASSWORD, "--json", "login", "--email", "ada@cli.example",
                                              "--password-stdin", NULL);
  th_cli_assert_status (loginj, 0);
  g_assert_cmpstr (th_cli_json_str (loginj, "user.email"), ==, "ada@cli.example");
  g_assert_cmpstr (th_cli_json_str (loginj, "server"), ==, ts->url);
  g_assert_null (th_cli_json_at (loginj, "token"));
  g_autofree char *token3 = saved_token (ada);
  g_assert_null (strstr (loginj->out, token3));
}

static void
test_wrong_password (void)
{
  g_autoptr(ThCliUser) bob = register_admin ("bob@cli.example", "Bob Club");
  g_autoptr(ThCliUser) other = th_cli_user_new (ts->url);

  g_autoptr(ThCliResult) r = th_cli_run (other, "not the password at all\n", "login",
                                         "--email", "bob@cli.example", "--password-stdin", NULL);
  th_cli_assert_status (r, 1);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_cmpstr (r->err, ==, "tandem-cli: the e-mail address or the password is wrong\n");

  g_autoptr(ThCliResult) unknown = th_cli_run (other, "not the password at all\n", "login",
                                               "--email", "nobody@cli.example", "--password-stdin", NULL);
  th_cli_assert_status (unknown, 1);
  g_assert_cmpstr (unknown->err, ==, r->err);

  g_autoptr(ThCliResult) j = th_cli_run (other, "not the password at all\n", "--json", "login",
                                         "--email", "bob@cli.example", "--password-stdin", NULL);
  th_cli_assert_status (j, 1);
  g_assert_cmpstr (th_cli_json_str (j, "error.code"), ==, "invalid_credentials");
  g_assert_cmpstr (th_cli_json_str (j, "error.message"), ==, "the e-mail address or the password is wrong");
  g_assert_cmpstr (j->err, ==, r->err);

  /* Nothing was stored. */
  g_autofree char *session_file = th_cli_user_file (other, "session.json");
  g_assert_false (g_file_test (session_file, G_FILE_TEST_EXISTS));
}

static void
test_password_never_an_argument (void)
{
  g_autoptr(ThCliUser) user = th_cli_user_new (ts->url);

  g_autoptr(ThCliResult) a = th_cli_run (user, NULL, "login", "--email", "x@cli.example",
                                         "--password", "hunter2hunter2", NULL);
  th_cli_assert_status (a, 2);
  g_assert_null (strstr (a->err, "hunter2"));
  g_assert_nonnull (strstr (a->err, "--password-stdin"));

  g_autoptr(ThCliResult) b = th_cli_run (user, NULL, "--password=hunter2hunter2", "login", NULL);
  th_cli_assert_status (b, 2);
  g_assert_null (strstr (b->err, "hunter2"));

  g_autoptr(ThCliResult) c = th_cli_run (user, NULL, "register", "--email", "x@cli.example", "--name", "X",
                                         "--organization", "X", "--password=hunter2hunter2", NULL);
  th_cli_assert_status (c, 2);
  g_assert_null (strstr (c->err, "hunter2"));

  /* No terminal to ask and no --password-stdin: a usage error, no request. */
  g_autoptr(ThCliResult) d = th_cli_run (user, "", "login", "--email", "x@cli.example", NULL);
  th_cli_assert_status (d, 2);
  g_assert_nonnull (strstr (d->err, "--password-stdin"));

  g_autoptr(ThCliResult) e = th_cli_run (user, TH_PASSWORD, "login", "--password-stdin", NULL);
  th_cli_assert_status (e, 2);
  g_assert_nonnull (strstr (e->err, "--email"));
}

static void
test_usage_errors (void)
{
  g_autoptr(ThCliUser) user = th_cli_user_new (ts->url);
  struct {
    const char *args[6];
  } cases[] = {
    { { NULL } },
    { { "frobnicate", NULL } },
    { { "groups", NULL } },
    { { "groups", "shuffle", NULL } },
    { { "groups", "create", NULL } },
    { { "groups", "create", "A", "B", NULL } },
    { { "me", "--no-such-option", NULL } },
    { { "register", "--email", "a@b.example", "--name", "A", NULL } },
    { { "invite", "show", "not-a-code", NULL } },
    { { "invite", "send", "a@b.example", NULL } },
    { { "--server", "not a url", "status", NULL } },
    { { "--server", "ftp://example.org", "me", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const *a = cases[i].args;
      g_autoptr(ThCliResult) r = th_cli_runv (user, NULL, a);
      if (r->status != 2)
        g_error ("case %u (%s …): exit %d, stderr %s", i, a[0] != NULL ? a[0] : "", r->status, r->err);
      g_assert_cmpstr (r->out, ==, "");
      g_assert_true (g_str_has_prefix (r->err, "tandem-cli: ") || g_str_has_prefix (r->err, "Usage:"));
    }

  /* With --json a usage error is a JSON document too. */
  g_autoptr(ThCliResult) j = th_cli_run (user, NULL, "--json", "groups", "create", NULL);
  th_cli_assert_status (j, 2);
  g_assert_cmpstr (th_cli_json_str (j, "error.code"), ==, "usage");

  g_autoptr(ThCliResult) v = th_cli_run (user, NULL, "--version", NULL);
  th_cli_assert_status (v, 0);
  g_assert_true (g_str_has_prefix (v->out, "tandem-cli "));

  g_autoptr(ThCliResult) h = th_cli_run (user, NULL, "groups", "members", "--help", NULL);
  th_cli_assert_status (h, 0);
  g_assert_nonnull (strstr (h->out, "groups members GROUP"));
}

/* ---- groups ---- */

static void
test_groups (void)
{
  g_autoptr(ThCliUser) carol = register_admin ("carol@cli.example", "Carol Rowing");

  g_autoptr(ThCliResult) empty = th_cli_run (carol, NULL, "groups", "list", NULL);
  th_cli_assert_status (empty, 0);
  g_assert_cmpstr (empty->out, ==, "You are in no group yet.\n");
  g_autoptr(ThCliResult) emptyj = th_cli_run (carol, NULL, "groups", "list", "--json", NULL);
  th_cli_assert_status (emptyj, 0);
  g_assert_nonnull (th_cli_json_at (emptyj, "items"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (th_cli_json_at (emptyj, "items"))), ==, 0);

  g_autoptr(ThCliResult) c1 = th_cli_run (carol, NULL, "groups", "create", "Rowing Team", NULL);
  th_cli_assert_status (c1, 0);
  g_assert_nonnull (strstr (c1->out, "“Rowing Team”"));
  g_autoptr(ThCliResult) c2 = th_cli_run (carol, NULL, "--json", "groups", "create", "Chess Club", NULL);
  th_cli_assert_status (c2, 0);
  const char *chess_id = th_cli_json_str (c2, "id");
  g_assert_true (g_uuid_string_is_valid (chess_id));
  g_assert_cmpstr (th_cli_json_str (c2, "name"), ==, "Chess Club");

  g_autoptr(ThCliResult) list = th_cli_run (carol, NULL, "groups", "list", NULL);
  th_cli_assert_status (list, 0);
  g_auto(GStrv) lines = g_strsplit (list->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* header, two rows, "" */
  g_assert_true (g_str_has_prefix (lines[0], "NAME"));
  const char *id_column = strstr (lines[0], "ID");
  g_assert_nonnull (id_column);
  gboolean seen_chess = FALSE;
  for (guint i = 1; i < 3; i++)
    {
      /* Columns line up: every id starts under "ID". */
      const char *id = lines[i] + (id_column - lines[0]);
      g_assert_cmpuint (strlen (lines[i]), >, (gsize) (id_column - lines[0]));
      g_assert_true (g_uuid_string_is_valid (id));
      if (g_str_has_prefix (lines[i], "Chess Club"))
        {
          seen_chess = TRUE;
          g_assert_cmpstr (id, ==, chess_id);
        }
    }
  g_assert_true (seen_chess);

  g_autoptr(ThCliResult) listj = th_cli_run (carol, NULL, "--json", "groups", "list", NULL);
  th_cli_assert_status (listj, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (th_cli_json_at (listj, "items"))), ==, 2);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_cli_json_at (listj, "next_cursor")));

  /* members, by name and by id */
  g_autoptr(ThCliResult) m = th_cli_run (carol, NULL, "groups", "members", "Rowing Team", NULL);
  th_cli_assert_status (m, 0);
  g_assert_nonnull (strstr (m->out, "carol@cli.example"));
  g_assert_nonnull (strstr (m->out, "owner"));
  g_assert_true (g_str_has_prefix (m->out, "NAME"));
  g_autoptr(ThCliResult) mj = th_cli_run (carol, NULL, "--json", "groups", "members", chess_id, NULL);
  th_cli_assert_status (mj, 0);
  g_assert_cmpstr (th_cli_json_str (mj, "items.0.email"), ==, "carol@cli.example");

  g_autoptr(ThCliResult) none = th_cli_run (carol, NULL, "groups", "members", "No Such Group", NULL);
  th_cli_assert_status (none, 1);
  g_assert_cmpstr (none->err, ==, "tandem-cli: you have no group named “No Such Group”\n");
  g_autoptr(ThCliResult) nonej = th_cli_run (carol, NULL, "--json", "groups", "members", "No Such Group", NULL);
  th_cli_assert_status (nonej, 1);
  g_assert_cmpstr (th_cli_json_str (nonej, "error.code"), ==, "not_found");

  /* An unknown id is the server's 404. */
  g_autoptr(ThCliResult) badid = th_cli_run (carol, NULL, "groups", "members",
                                             "00000000-0000-4000-8000-000000000000", NULL);
  th_cli_assert_status (badid, 1);

  /* Two groups with one name: ask for the id. */
  g_autoptr(ThCliResult) c3 = th_cli_run (carol, NULL, "groups", "create", "Chess Club", NULL);
  th_cli_assert_status (c3, 0);
  g_autoptr(ThCliResult) twice = th_cli_run (carol, NULL, "groups", "members", "Chess Club", NULL);
  th_cli_assert_status (twice, 1);
  g_assert_nonnull (strstr (twice->err, "2 groups are named “Chess Club”"));

  /* The server's validation message comes through. */
  g_autoptr(ThCliResult) blank = th_cli_run (carol, NULL, "--json", "groups", "create", "", NULL);
  th_cli_assert_status (blank, 1);
  g_assert_cmpstr (th_cli_json_str (blank, "error.code"), ==, "validation_failed");

  /* Signed out: groups need a session. */
  g_autoptr(ThCliUser) nobody = th_cli_user_new (ts->url);
  g_autoptr(ThCliResult) anon = th_cli_run (nobody, NULL, "groups", "list", NULL);
  th_cli_assert_status (anon, 1);
  g_assert_nonnull (strstr (anon->err, "not signed in"));
}

/* Lists longer than one page (100) are followed to the end. */
static void
test_long_lists (void)
{
  g_autofree char *token = th_register_admin (ts, "ivy@cli.example", "Ivy League", NULL);
  for (guint i = 0; i < 105; i++)
    {
      g_autoptr(ThResponse) r = th_requestf (ts, "POST", "/groups", token, "{\"name\":\"Group %03u\"}", i);
      g_assert_cmpuint (r->status, ==, 201);
    }

  g_autoptr(ThCliUser) ivy = th_cli_user_new (ts->url);
  ivy->token = g_strdup (token);
  g_autoptr(ThCliResult) j = th_cli_run (ivy, NULL, "--json", "groups", "list", NULL);
  th_cli_assert_status (j, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (th_cli_json_at (j, "items"))), ==, 105);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_cli_json_at (j, "next_cursor")));

  g_autoptr(ThCliResult) text = th_cli_run (ivy, NULL, "groups", "list", NULL);
  th_cli_assert_status (text, 0);
  g_auto(GStrv) lines = g_strsplit (text->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 105 + 1);

  /* A name found on the second page. */
  for (guint i = 0; i < 105; i += 104)
    {
      g_autofree char *name = g_strdup_printf ("Group %03u", i);
      g_autoptr(ThCliResult) m = th_cli_run (ivy, NULL, "--json", "groups", "members", name, NULL);
      th_cli_assert_status (m, 0);
      g_assert_cmpstr (th_cli_json_str (m, "items.0.email"), ==, "ivy@cli.example");
    }
}

/* ---- status and the environment ---- */

static void
test_status (void)
{
  g_autoptr(ThCliUser) dave = th_cli_user_new (ts->url);

  g_autoptr(ThCliResult) out = th_cli_run (dave, NULL, "status", NULL);
  th_cli_assert_status (out, 0);
  g_assert_nonnull (strstr (out->out, ts->url));
  g_assert_nonnull (strstr (out->out, "Reachable:  yes"));
  g_assert_nonnull (strstr (out->out, "Signed in:  no"));
  assert_fields_aligned (out->out);
  g_autoptr(ThCliResult) outj = th_cli_run (dave, NULL, "--json", "status", NULL);
  th_cli_assert_status (outj, 0);
  g_assert_cmpstr (th_cli_json_str (outj, "server"), ==, ts->url);
  g_assert_true (json_node_get_boolean (th_cli_json_at (outj, "reachable")));
  g_assert_false (json_node_get_boolean (th_cli_json_at (outj, "signed_in")));
  g_assert_cmpstr (th_cli_json_str (outj, "health.status"), ==, "ok");

  g_autoptr(ThCliResult) reg = th_cli_run (dave, TH_PASSWORD, "register", "--email", "dave@cli.example",
                                           "--name", "Dave", "--organization", "Dave Org",
                                           "--password-stdin", NULL);
  th_cli_assert_status (reg, 0);

  g_autoptr(ThCliResult) in = th_cli_run (dave, NULL, "status", NULL);
  th_cli_assert_status (in, 0);
  g_assert_nonnull (strstr (in->out, "Signed in:  as Dave <dave@cli.example> (admin, Dave Org)"));
  g_assert_nonnull (strstr (in->out, "session.json"));
  assert_fields_aligned (in->out);
  g_autoptr(ThCliResult) inj = th_cli_run (dave, NULL, "status", "--json", NULL);
  th_cli_assert_status (inj, 0);
  g_assert_true (json_node_get_boolean (th_cli_json_at (inj, "signed_in")));
  g_assert_cmpstr (th_cli_json_str (inj, "user.email"), ==, "dave@cli.example");
  g_assert_cmpstr (th_cli_json_str (inj, "session"), ==, "file");

  /* A token the server no longer knows: signed out, still exit 0. */
  g_autoptr(ThCliUser) stale = th_cli_user_new (ts->url);
  stale->token = g_strdup ("tds_this-token-was-never-issued");
  g_autoptr(ThCliResult) st = th_cli_run (stale, NULL, "status", NULL);
  th_cli_assert_status (st, 0);
  g_assert_nonnull (strstr (st->out, "Signed in:  no (the session has expired"));
  g_autoptr(ThCliResult) stme = th_cli_run (stale, NULL, "me", NULL);
  th_cli_assert_status (stme, 1);
  g_assert_nonnull (strstr (stme->err, "sign in again"));

  /* Unreachable: exit 3, for status and for any other command. */
  g_autofree char *nowhere = th_cli_unreachable_url ();
  g_autoptr(ThCliUser) lost = th_cli_user_new (nowhere);
  g_autoptr(ThCliResult) un = th_cli_run (lost, NULL, "status", NULL);
  th_cli_assert_status (un, 3);
  g_assert_nonnull (strstr (un->out, "Reachable:  no"));
  g_autofree char *cannot = g_strdup_printf ("tandem-cli: cannot reach the server at %s: ", nowhere);
  g_assert_true (g_str_has_prefix (un->err, cannot));
  g_assert_cmpuint (strlen (strchr (un->err, '\n')), ==, 1); /* one line */
  g_autoptr(ThCliResult) unj = th_cli_run (lost, NULL, "--json", "status", NULL);
  th_cli_assert_status (unj, 3);
  g_assert_false (json_node_get_boolean (th_cli_json_at (unj, "reachable")));
  g_assert_cmpstr (th_cli_json_str (unj, "error.code"), ==, "network");
  g_autoptr(ThCliResult) unme = th_cli_run (lost, TH_PASSWORD, "--json", "login", "--email", "dave@cli.example",
                                            "--password-stdin", NULL);
  th_cli_assert_status (unme, 3);
  g_assert_cmpstr (th_cli_json_str (unme, "error.code"), ==, "network");
  g_assert_true (g_str_has_prefix (unme->err, cannot));
}

static void
test_environment_and_remembered_server (void)
{
  g_autofree char *token = th_register_admin (ts, "erin@cli.example", "Erin Org", NULL);

  /* TANDEM_TOKEN: no login, nothing written. */
  g_autoptr(ThCliUser) script = th_cli_user_new (ts->url);
  script->token = g_strdup (token);
  g_autoptr(ThCliResult) me = th_cli_run (script, NULL, "--json", "me", NULL);
  th_cli_assert_status (me, 0);
  g_assert_cmpstr (th_cli_json_str (me, "email"), ==, "erin@cli.example");
  g_autoptr(ThCliResult) st = th_cli_run (script, NULL, "--json", "status", NULL);
  th_cli_assert_status (st, 0);
  g_assert_cmpstr (th_cli_json_str (st, "session"), ==, "environment");
  g_autofree char *tandem_dir = g_build_filename (script->config_dir, "tandem", NULL);
  g_assert_false (g_file_test (tandem_dir, G_FILE_TEST_EXISTS));

  /* --server wins over TANDEM_SERVER, and the last server is remembered. */
  g_autofree char *nowhere = th_cli_unreachable_url ();
  g_autoptr(ThCliUser) erin = th_cli_user_new (nowhere);
  g_autoptr(ThCliResult) login = th_cli_run (erin, TH_PASSWORD, "--server", ts->url, "login",
                                             "--email", "erin@cli.example", "--password-stdin", NULL);
  th_cli_assert_status (login, 0);
  g_autoptr(ThCliResult) there = th_cli_run (erin, NULL, "me", NULL);
  th_cli_assert_status (there, 3);          /* TANDEM_SERVER still wins over the file */
  g_clear_pointer (&erin->server, g_free);  /* without it, client.ini decides */
  g_autoptr(ThCliResult) here = th_cli_run (erin, NULL, "--json", "status", NULL);
  th_cli_assert_status (here, 0);
  g_assert_cmpstr (th_cli_json_str (here, "server"), ==, ts->url);
  g_assert_cmpstr (th_cli_json_str (here, "user.email"), ==, "erin@cli.example");

  /* The server address is normalized: a trailing slash is the same server. */
  g_autofree char *slashed = g_strconcat (ts->url, "/", NULL);
  g_autoptr(ThCliResult) same = th_cli_run (erin, NULL, "--server", slashed, "--json", "me", NULL);
  th_cli_assert_status (same, 0);
}

/* ---- invitations ---- */

/* The spooled e-mail that carries @code, as text; waits for it. */
static char *
wait_for_mail_with (const char *code)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) files = th_spool_wait (ts, 1, 200);
      for (guint i = 0; i < files->len; i++)
        {
          g_autofree char *text = NULL;
          if (g_file_get_contents (files->pdata[i], &text, NULL, NULL) && strstr (text, code) != NULL)
            return g_steal_pointer (&text);
        }
      g_usleep (50000);
    }
  return NULL;
}

static void
test_invitation_flow (void)
{
  g_autoptr(ThCliUser) fay = register_admin ("fay@cli.example", "Fay Athletics");
  g_autoptr(ThCliResult) group = th_cli_run (fay, NULL, "--json", "groups", "create", "Sprint Squad", NULL);
  th_cli_assert_status (group, 0);
  g_autofree char *group_id = g_strdup (th_cli_json_str (group, "id"));

  /* invite send, by group name */
  g_autoptr(ThCliResult) sent = th_cli_run (fay, NULL, "--json", "invite", "send", "gus@cli.example",
                                            "--group", "Sprint Squad", NULL);
  th_cli_assert_status (sent, 0);
  const char *code = th_cli_json_str (sent, "code");
  g_assert_nonnull (code);
  g_assert_cmpuint (strlen (code), ==, 6);
  g_assert_cmpstr (th_cli_json_str (sent, "email"), ==, "gus@cli.example");
  g_assert_cmpstr (th_cli_json_str (sent, "group_id"), ==, group_id);

  /* The e-mail lands in the spool with the code. */
  g_autofree char *mail = wait_for_mail_with (code);
  g_assert_nonnull (mail);
  g_assert_nonnull (strstr (mail, "gus@cli.example"));

  /* The invitee looks at the code before having an account. */
  g_autoptr(ThCliUser) gus = th_cli_user_new (ts->url);
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_autoptr(ThCliResult) show = th_cli_run (gus, NULL, "invite", "show", lower, NULL);
  th_cli_assert_status (show, 0);
  g_assert_nonnull (strstr (show->out, "Sprint Squad"));
  g_assert_nonnull (strstr (show->out, "Admin of Fay Athletics"));
  g_assert_nonnull (strstr (show->out, "open"));
  g_autofree char *link = g_strdup_printf ("%s/invite/%s", ts->url, code);
  g_autoptr(ThCliResult) showj = th_cli_run (gus, NULL, "--json", "invite", "show", link, NULL);
  th_cli_assert_status (showj, 0);
  g_assert_cmpstr (th_cli_json_str (showj, "group.name"), ==, "Sprint Squad");
  g_assert_cmpstr (th_cli_json_str (showj, "status"), ==, "pending");

  /* register --invite CODE: joins the organization and the group. */
  g_autoptr(ThCliResult) reg = th_cli_run (gus, TH_PASSWORD "\n", "register", "--email", "gus@cli.example",
                                           "--name", "Gus", "--invite", code, "--password-stdin", NULL);
  th_cli_assert_status (reg, 0);
  g_autoptr(ThCliResult) gus_groups = th_cli_run (gus, NULL, "--json", "groups", "list", NULL);
  th_cli_assert_status (gus_groups, 0);
  g_assert_cmpstr (th_cli_json_str (gus_groups, "items.0.name"), ==, "Sprint Squad");
  g_assert_null (th_cli_json_at (gus_groups, "items.1"));
  g_autoptr(ThCliResult) gus_me = th_cli_run (gus, NULL, "--json", "me", NULL);
  g_assert_cmpstr (th_cli_json_str (gus_me, "organization_name"), ==, "Fay Athletics");
  g_assert_cmpstr (th_cli_json_str (gus_me, "role"), ==, "student");

  g_autoptr(ThCliResult) used = th_cli_run (gus, NULL, "invite", "show", code, NULL);
  th_cli_assert_status (used, 0);
  g_assert_nonnull (strstr (used->out, "already used"));

  /* invite accept CODE: an existing account of the organization joins. */
  g_autofree char *fay_token = saved_token (fay);
  g_free (th_add_user (ts, fay_token, "hal@cli.example", "student", NULL));
  g_autoptr(ThCliResult) sent2 = th_cli_run (fay, NULL, "--json", "invite", "send", "hal@cli.example",
                                             "--group", group_id, NULL);
  th_cli_assert_status (sent2, 0);
  g_autofree char *code2 = g_strdup (th_cli_json_str (sent2, "code"));
  g_autofree char *mail2 = wait_for_mail_with (code2);
  g_assert_nonnull (mail2);

  g_autoptr(ThCliUser) hal = th_cli_user_new (ts->url);
  g_autoptr(ThCliResult) hal_login = th_cli_run (hal, TH_PASSWORD, "login", "--email", "hal@cli.example",
                                                 "--password-stdin", NULL);
  th_cli_assert_status (hal_login, 0);
  g_autoptr(ThCliResult) before = th_cli_run (hal, NULL, "groups", "list", NULL);
  th_cli_assert_status (before, 0);
  g_assert_cmpstr (before->out, ==, "You are in no group yet.\n");
  g_autoptr(ThCliResult) accept = th_cli_run (hal, NULL, "invite", "accept", code2, NULL);
  th_cli_assert_status (accept, 0);
  g_assert_cmpstr (accept->out, ==, "You joined the group “Sprint Squad”.\n");
  g_autoptr(ThCliResult) after = th_cli_run (hal, NULL, "groups", "list", NULL);
  th_cli_assert_status (after, 0);
  g_assert_nonnull (strstr (after->out, "Sprint Squad"));

  /* Twice: the server says no, exit 1, its code in the JSON. */
  g_autoptr(ThCliResult) twice = th_cli_run (hal, NULL, "--json", "invite", "accept", code2, NULL);
  th_cli_assert_status (twice, 1);
  g_assert_cmpstr (th_cli_json_str (twice, "error.code"), ==, "invitation_used");

  /* The admin sees both newcomers. */
  g_autoptr(ThCliResult) members = th_cli_run (fay, NULL, "groups", "members", "Sprint Squad", NULL);
  th_cli_assert_status (members, 0);
  g_assert_nonnull (strstr (members->out, "gus@cli.example"));
  g_assert_nonnull (strstr (members->out, "hal@cli.example"));

  /* A member cannot be invited again. */
  g_autoptr(ThCliResult) again = th_cli_run (fay, NULL, "--json", "invite", "send", "gus@cli.example",
                                             "--group", "Sprint Squad", NULL);
  th_cli_assert_status (again, 1);
  g_assert_cmpstr (th_cli_json_str (again, "error.code"), ==, "already_member");
}

int
main (int    argc,
      char **argv)
{
  th_init (&argc, &argv);
  ts = th_server_start ();

  g_test_add_func ("/cli/register-login-me", test_register_login_me);
  g_test_add_func ("/cli/wrong-password", test_wrong_password);
  g_test_add_func ("/cli/password-never-an-argument", test_password_never_an_argument);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/groups", test_groups);
  g_test_add_func ("/cli/long-lists", test_long_lists);
  g_test_add_func ("/cli/status", test_status);
  g_test_add_func ("/cli/environment-and-remembered-server", test_environment_and_remembered_server);
  g_test_add_func ("/cli/invitation-flow", test_invitation_flow);

  int status = g_test_run ();
  th_server_stop (ts);
  return status;
}
