/* test-api-auth.c — registration, login, sessions, tokens, preferences,
 * rate limits and the request plumbing, over HTTP against a real signald. */
#include "th-server.h"

#include "store/sd-db.h"

#include <string.h>

static ThServer *ts;

static void
test_register_login_me (void)
{
  g_autofree char *uid = NULL;
  g_autofree char *token = th_register_admin (ts, "Ada@Example.org", "Ada Club", &uid);
  g_assert_true (g_str_has_prefix (token, "tds_"));

  g_autoptr(ThResponse) me = th_request (ts, "GET", "/auth/me", token, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (th_json_str (me, "email"), ==, "ada@example.org");
  g_assert_cmpstr (th_json_str (me, "role"), ==, "admin");
  g_assert_cmpstr (th_json_str (me, "id"), ==, uid);
  g_assert_cmpstr (th_json_str (me, "organization_name"), ==, "Ada Club");
  g_assert_nonnull (th_json_str (me, "organization_id"));

  g_autoptr(ThResponse) login = th_request (ts, "POST", "/auth/login", NULL,
    "{\"email\":\"ada@example.org\",\"password\":\"" TH_PASSWORD "\"}");
  g_assert_cmpuint (login->status, ==, 200);
  g_assert_cmpstr (th_json_str (login, "user.id"), ==, uid);
  g_assert_cmpstr (th_json_str (login, "token"), !=, token);

  /* Duplicate e-mail */
  g_autoptr(ThResponse) dup = th_request (ts, "POST", "/auth/register", NULL,
    "{\"email\":\"ada@example.org\",\"password\":\"" TH_PASSWORD "\",\"name\":\"X\",\"organization\":\"Y\"}");
  g_assert_cmpuint (dup->status, ==, 409);
  g_assert_cmpstr (th_json_str (dup, "error.code"), ==, "email_taken");
}

static void
test_register_validation (void)
{
  struct { const char *body; guint status; const char *code; } cases[] = {
    { "{\"email\":\"x@y.de\",\"password\":\"short\",\"name\":\"X\",\"organization\":\"O\"}", 422, "weak_password" },
    { "{\"email\":\"x@y.de\",\"password\":\"password123\",\"name\":\"X\",\"organization\":\"O\"}", 422, "weak_password" },
    { "{\"email\":\"not-an-email\",\"password\":\"" TH_PASSWORD "\",\"name\":\"X\",\"organization\":\"O\"}", 422, "validation_failed" },
    { "{\"email\":\"x@y.de\",\"password\":\"" TH_PASSWORD "\",\"name\":\"X\"}", 422, "validation_failed" },
    { "{\"email\":\"x@y.de\",\"password\":\"" TH_PASSWORD "\",\"name\":\"X\",\"organization\":\"O\",\"invite_code\":\"ABCDEF\"}", 422, "validation_failed" },
    { "{\"email\":\"x@y.de\"", 400, "invalid_json" },
    { "[1,2]", 400, "invalid_json" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ThResponse) r = th_request (ts, "POST", "/auth/register", NULL, cases[i].body);
      g_assert_cmpuint (r->status, ==, cases[i].status);
      g_assert_cmpstr (th_json_str (r, "error.code"), ==, cases[i].code);
      g_assert_nonnull (th_json_str (r, "error.message"));
    }
}

static void
test_long_password_whole (void)
{
  /* 100 characters: accepted whole; one changed last character fails. */
  char pw[101];
  memset (pw, 'k', 100);
  pw[99] = 'Z';
  pw[100] = '\0';
  pw[0] = 'Q';
  pw[1] = '7';
  g_autoptr(ThResponse) r = th_requestf (ts, "POST", "/auth/register", NULL,
    "{\"email\":\"long@pw.example\",\"password\":\"%s\",\"name\":\"L\",\"organization\":\"L\"}", pw);
  g_assert_cmpuint (r->status, ==, 201);
  pw[99] = 'Y';
  g_autoptr(ThResponse) bad = th_requestf (ts, "POST", "/auth/login", NULL,
    "{\"email\":\"long@pw.example\",\"password\":\"%s\"}", pw);
  g_assert_cmpuint (bad->status, ==, 401);
  pw[99] = 'Z';
  g_autoptr(ThResponse) good = th_requestf (ts, "POST", "/auth/login", NULL,
    "{\"email\":\"long@pw.example\",\"password\":\"%s\"}", pw);
  g_assert_cmpuint (good->status, ==, 200);
}

static void
test_unknown_email_same_as_wrong_password (void)
{
  g_autofree char *t = th_register_admin (ts, "bob@example.org", "Bob Org", NULL);
  g_assert_nonnull (t);
  g_autoptr(ThResponse) wrong = th_request (ts, "POST", "/auth/login", NULL,
    "{\"email\":\"bob@example.org\",\"password\":\"not the password at all\"}");
  g_autoptr(ThResponse) unknown = th_request (ts, "POST", "/auth/login", NULL,
    "{\"email\":\"nobody@example.org\",\"password\":\"not the password at all\"}");
  g_assert_cmpuint (wrong->status, ==, 401);
  g_assert_cmpuint (unknown->status, ==, 401);
  g_assert_cmpmem (g_bytes_get_data (wrong->body, NULL), g_bytes_get_size (wrong->body),
                   g_bytes_get_data (unknown->body, NULL), g_bytes_get_size (unknown->body));

  /* Timing: both paths run Argon2; compare medians of a few tries. */
  gint64 tw[5], tu[5];
  for (int i = 0; i < 5; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(ThResponse) a = th_request (ts, "POST", "/auth/login", NULL,
        "{\"email\":\"bob@example.org\",\"password\":\"another wrong one\"}");
      g_assert_nonnull (a);
      tw[i] = g_get_monotonic_time () - t0;
      t0 = g_get_monotonic_time ();
      g_autoptr(ThResponse) b = th_request (ts, "POST", "/auth/login", NULL,
        "{\"email\":\"ghost@example.org\",\"password\":\"another wrong one\"}");
      g_assert_nonnull (b);
      tu[i] = g_get_monotonic_time () - t0;
    }
  gint64 sw = 0, su = 0;
  for (int i = 0; i < 5; i++)
    sw += tw[i], su += tu[i];
  /* Unknown e-mails must not be markedly faster (a skipped hash would be ~10x). */
  g_assert_cmpint (su * 2, >, sw);
}

static void
test_logout_and_bad_tokens (void)
{
  g_autofree char *token = th_register_admin (ts, "carol@example.org", "Carol Org", NULL);
  g_autoptr(ThResponse) none = th_request (ts, "GET", "/auth/me", NULL, NULL);
  g_assert_cmpuint (none->status, ==, 401);
  g_assert_cmpstr (th_json_str (none, "error.code"), ==, "unauthorized");
  g_autoptr(ThResponse) junk = th_request (ts, "GET", "/auth/me", "tds_nonsense", NULL);
  g_assert_cmpuint (junk->status, ==, 401);

  g_autoptr(ThResponse) out = th_request (ts, "POST", "/auth/logout", token, NULL);
  g_assert_cmpuint (out->status, ==, 204);
  g_autoptr(ThResponse) after = th_request (ts, "GET", "/auth/me", token, NULL);
  g_assert_cmpuint (after->status, ==, 401);
}

static void
test_preferences (void)
{
  g_autofree char *token = th_register_admin (ts, "dora@example.org", "Dora Org", NULL);
  g_autoptr(ThResponse) ok = th_request (ts, "PATCH", "/auth/me", token,
    "{\"language\":\"de\",\"time_zone\":\"Europe/Berlin\",\"name\":\"Dora D\"}");
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpstr (th_json_str (ok, "language"), ==, "de");
  g_assert_cmpstr (th_json_str (ok, "time_zone"), ==, "Europe/Berlin");
  g_assert_cmpstr (th_json_str (ok, "name"), ==, "Dora D");

  g_autoptr(ThResponse) lang = th_request (ts, "PATCH", "/auth/me", token, "{\"language\":\"xx\"}");
  g_assert_cmpuint (lang->status, ==, 422);
  g_autoptr(ThResponse) tz = th_request (ts, "PATCH", "/auth/me", token, "{\"time_zone\":\"Mars/Olympus\"}");
  g_assert_cmpuint (tz->status, ==, 422);
  g_autoptr(ThResponse) tz2 = th_request (ts, "PATCH", "/auth/me", token, "{\"time_zone\":\"../../etc/passwd\"}");
  g_assert_cmpuint (tz2->status, ==, 422);
}

static void
test_password_change (void)
{
  g_autofree char *t1 = th_register_admin (ts, "erin@example.org", "Erin Org", NULL);
  g_autoptr(ThResponse) l2 = th_request (ts, "POST", "/auth/login", NULL,
    "{\"email\":\"erin@example.org\",\"password\":\"" TH_PASSWORD "\"}");
  const char *t2 = th_json_str (l2, "token");

  g_autoptr(ThResponse) wrong = th_request (ts, "POST", "/auth/password", t1,
    "{\"current_password\":\"wrong wrong wrong\",\"new_password\":\"a brand new passphrase\"}");
  g_assert_cmpuint (wrong->status, ==, 403);
  g_autoptr(ThResponse) weak = th_request (ts, "POST", "/auth/password", t1,
    "{\"current_password\":\"" TH_PASSWORD "\",\"new_password\":\"qwertyuiop\"}");
  g_assert_cmpuint (weak->status, ==, 422);
  g_autoptr(ThResponse) ok = th_request (ts, "POST", "/auth/password", t1,
    "{\"current_password\":\"" TH_PASSWORD "\",\"new_password\":\"a brand new passphrase\"}");
  g_assert_cmpuint (ok->status, ==, 204);

  g_autoptr(ThResponse) still = th_request (ts, "GET", "/auth/me", t1, NULL);
  g_assert_cmpuint (still->status, ==, 200);
  g_autoptr(ThResponse) other = th_request (ts, "GET", "/auth/me", t2, NULL);
  g_assert_cmpuint (other->status, ==, 401);
  g_autoptr(ThResponse) old = th_request (ts, "POST", "/auth/login", NULL,
    "{\"email\":\"erin@example.org\",\"password\":\"" TH_PASSWORD "\"}");
  g_assert_cmpuint (old->status, ==, 401);
  g_autoptr(ThResponse) fresh = th_request (ts, "POST", "/auth/login", NULL,
    "{\"email\":\"erin@example.org\",\"password\":\"a brand new passphrase\"}");
  g_assert_cmpuint (fresh->status, ==, 200);
}

static void
test_api_tokens (void)
{
  g_autofree char *session = th_register_admin (ts, "fay@example.org", "Fay Org", NULL);
  g_autoptr(ThResponse) ro = th_request (ts, "POST", "/auth/tokens", session,
    "{\"name\":\"reporting\",\"scopes\":[\"read\"],\"expires_in_days\":30}");
  g_assert_cmpuint (ro->status, ==, 201);
  const char *ro_token = th_json_str (ro, "token");
  g_assert_true (g_str_has_prefix (ro_token, "tdk_"));
  g_assert_nonnull (th_json_str (ro, "expires_at"));

  g_autoptr(ThResponse) me = th_request (ts, "GET", "/auth/me", ro_token, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (th_json_str (me, "token_kind"), ==, "api");
  /* A read token cannot write, and no API token manages tokens or passwords. */
  g_autoptr(ThResponse) w = th_request (ts, "PATCH", "/auth/me", ro_token, "{\"name\":\"x\"}");
  g_assert_cmpuint (w->status, ==, 403);
  g_assert_cmpstr (th_json_str (w, "error.code"), ==, "insufficient_scope");
  g_autoptr(ThResponse) mint = th_request (ts, "POST", "/auth/tokens", ro_token,
    "{\"name\":\"x\",\"scopes\":[\"read\"]}");
  g_assert_cmpuint (mint->status, ==, 403);

  g_autoptr(ThResponse) bad = th_request (ts, "POST", "/auth/tokens", session,
    "{\"name\":\"x\",\"scopes\":[\"root\"]}");
  g_assert_cmpuint (bad->status, ==, 422);

  g_autoptr(ThResponse) list = th_request (ts, "GET", "/auth/tokens", session, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpuint (th_json_len (list, "items"), ==, 1);
  g_assert_null (th_json_str (list, "items.0.token"));

  g_autofree char *path = g_strdup_printf ("/auth/tokens/%s", th_json_str (ro, "id"));
  g_autoptr(ThResponse) del = th_request (ts, "DELETE", path, session, NULL);
  g_assert_cmpuint (del->status, ==, 204);
  g_autoptr(ThResponse) del2 = th_request (ts, "DELETE", path, session, NULL);
  g_assert_cmpuint (del2->status, ==, 404);
  g_autoptr(ThResponse) gone = th_request (ts, "GET", "/auth/me", ro_token, NULL);
  g_assert_cmpuint (gone->status, ==, 401);
}

static void
test_users_roles (void)
{
  g_autofree char *admin_id = NULL;
  g_autofree char *admin = th_register_admin (ts, "gil@example.org", "Gil Org", &admin_id);
  g_autofree char *coach_id = NULL;
  g_autofree char *coach = th_add_user (ts, admin, "coach@gil.example", "expert", &coach_id);
  g_autofree char *student = th_add_user (ts, admin, "student@gil.example", "student", NULL);

  g_autoptr(ThResponse) by_coach = th_request (ts, "GET", "/users", coach, NULL);
  g_assert_cmpuint (by_coach->status, ==, 200);
  g_assert_cmpuint (th_json_len (by_coach, "items"), ==, 3);
  g_autoptr(ThResponse) by_student = th_request (ts, "GET", "/users", student, NULL);
  g_assert_cmpuint (by_student->status, ==, 403);
  g_autoptr(ThResponse) add = th_request (ts, "POST", "/users", coach,
    "{\"email\":\"z@gil.example\",\"password\":\"" TH_PASSWORD "\",\"name\":\"Z\",\"role\":\"student\"}");
  g_assert_cmpuint (add->status, ==, 403);

  g_autofree char *self = g_strdup_printf ("/users/%s", admin_id);
  g_autoptr(ThResponse) demote = th_request (ts, "PATCH", self, admin, "{\"role\":\"student\"}");
  g_assert_cmpuint (demote->status, ==, 409);

  /* Pagination */
  g_autoptr(ThResponse) p1 = th_request (ts, "GET", "/users?limit=2", admin, NULL);
  g_assert_cmpuint (th_json_len (p1, "items"), ==, 2);
  g_assert_nonnull (th_json_str (p1, "next_cursor"));
  g_autofree char *next = g_strdup_printf ("/users?limit=2&cursor=%s", th_json_str (p1, "next_cursor"));
  g_autoptr(ThResponse) p2 = th_request (ts, "GET", next, admin, NULL);
  g_assert_cmpuint (th_json_len (p2, "items"), ==, 1);
  g_assert_null (th_json_str (p2, "next_cursor"));
  g_autoptr(ThResponse) badc = th_request (ts, "GET", "/users?cursor=bm90LWEtY3Vyc29y", admin, NULL);
  g_assert_cmpuint (badc->status, ==, 400);
}

static void
test_tenant_isolation (void)
{
  g_autofree char *a_admin = th_register_admin (ts, "iso-a@example.org", "Iso A", NULL);
  g_autofree char *b_id = NULL;
  g_autofree char *b_admin = th_register_admin (ts, "iso-b@example.org", "Iso B", &b_id);
  g_assert_nonnull (b_admin);
  g_autofree char *path = g_strdup_printf ("/users/%s", b_id);

  g_autoptr(ThResponse) show = th_request (ts, "GET", path, a_admin, NULL);
  g_assert_cmpuint (show->status, ==, 404);
  g_autoptr(ThResponse) patch = th_request (ts, "PATCH", path, a_admin, "{\"role\":\"student\"}");
  g_assert_cmpuint (patch->status, ==, 404);
  g_autoptr(ThResponse) list = th_request (ts, "GET", "/users", a_admin, NULL);
  for (guint i = 0; i < th_json_len (list, "items"); i++)
    {
      g_autofree char *p = g_strdup_printf ("items.%u.id", i);
      g_assert_cmpstr (th_json_str (list, p), !=, b_id);
    }
}

static void
test_plumbing (void)
{
  g_autoptr(ThResponse) health = th_request (ts, "GET", "/health", NULL, NULL);
  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (th_json_str (health, "database"), ==, "ok");
  g_autoptr(ThResponse) missing = th_request (ts, "GET", "/no/such/thing", NULL, NULL);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpstr (th_json_str (missing, "error.code"), ==, "not_found");
  g_autoptr(ThResponse) method = th_request (ts, "DELETE", "/auth/me", "x", NULL);
  g_assert_cmpuint (method->status, ==, 405);

  /* Over the body limit: refused before the body is read. */
  gsize big = 2 * 1024 * 1024;
  g_autofree char *data = g_malloc (big);
  memset (data, ' ', big);
  data[0] = '{';
  data[big - 1] = '}';
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&data), big);
  g_autoptr(ThResponse) large = th_request_bytes (ts, "POST", "/auth/login", NULL, "application/json", bytes);
  g_assert_cmpuint (large->status, ==, 413);
  g_assert_cmpstr (th_json_str (large, "error.code"), ==, "payload_too_large");
}

static void
test_login_rate_limit (void)
{
  g_autofree char *t = th_register_admin (ts, "hal@example.org", "Hal Org", NULL);
  g_assert_nonnull (t);
  guint limited_at = 0;
  for (guint i = 1; i <= 12 && limited_at == 0; i++)
    {
      g_autoptr(ThResponse) r = th_request (ts, "POST", "/auth/login", NULL,
        "{\"email\":\"hal@example.org\",\"password\":\"wrong password here\"}");
      if (r->status == 429)
        {
          limited_at = i;
          const char *retry = soup_message_headers_get_one (r->headers, "Retry-After");
          g_assert_nonnull (retry);
          g_assert_cmpint (atoi (retry), >, 0);
          g_assert_cmpstr (th_json_str (r, "error.code"), ==, "rate_limited");
        }
      else
        g_assert_cmpuint (r->status, ==, 401);
    }
  g_assert_cmpuint (limited_at, ==, 11);
  /* Even the right password is refused while the account is blocked. */
  g_autoptr(ThResponse) right = th_request (ts, "POST", "/auth/login", NULL,
    "{\"email\":\"hal@example.org\",\"password\":\"" TH_PASSWORD "\"}");
  g_assert_cmpuint (right->status, ==, 429);
}

static void
short_sessions (SdConfig *config,
                gpointer  data)
{
  config->session_ttl_s = 1;
}

static void
test_session_expiry (void)
{
  ThServer *short_ts = th_server_start_full (short_sessions, NULL);
  g_autofree char *token = th_register_admin (short_ts, "exp@example.org", "Exp Org", NULL);
  g_autoptr(ThResponse) now = th_request (short_ts, "GET", "/auth/me", token, NULL);
  g_assert_cmpuint (now->status, ==, 200);
  g_usleep (2100 * 1000);
  g_autoptr(ThResponse) later = th_request (short_ts, "GET", "/auth/me", token, NULL);
  g_assert_cmpuint (later->status, ==, 401);
  th_server_stop (short_ts);
}

static void
short_cache (SdConfig *config,
             gpointer  data)
{
  config->session_cache_ttl_ms = 1000;
}

/* GET /auth/me with @token on a new connection (the kernel spreads new
 * connections over the workers); its status, and the name it shows. */
static guint
me_fresh (ThServer    *server,
          const char  *token,
          char       **name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (server->url, "/auth/me", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  g_autoptr(GBytes) body = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (name != NULL && soup_message_get_status (msg) == 200)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                                 (gssize) g_bytes_get_size (body), NULL));
      *name = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                       "name"));
    }
  return soup_message_get_status (msg);
}

/* Workers remember a token's caller for a few seconds
 * (auth/sd-session-cache.h).  Whatever changes through the API is seen at
 * once by every worker; a change behind this process's back (another
 * instance on the same database) within the cache's lifetime. */
static void
test_session_cache (void)
{
  ThServer *c = th_server_start_full (short_cache, NULL);
  g_autofree char *token = th_register_admin (c, "cache@example.org", "Cache Org", NULL);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpuint (me_fresh (c, token, NULL), ==, 200);

  /* Logout: refused at once, on any connection, any worker. */
  g_autoptr(ThResponse) out = th_request (c, "POST", "/auth/logout", token, NULL);
  g_assert_cmpuint (out->status, ==, 204);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpuint (me_fresh (c, token, NULL), ==, 401);

  /* A changed name shows at once everywhere. */
  g_autoptr(ThResponse) in = th_request (c, "POST", "/auth/login", NULL,
                                         "{\"email\":\"cache@example.org\",\"password\":\"" TH_PASSWORD "\"}");
  g_assert_cmpuint (in->status, ==, 200);
  const char *again = th_json_str (in, "token");
  for (guint i = 0; i < 8; i++)
    g_assert_cmpuint (me_fresh (c, again, NULL), ==, 200);
  g_autoptr(ThResponse) renamed = th_request (c, "PATCH", "/auth/me", again, "{\"name\":\"Renamed\"}");
  g_assert_cmpuint (renamed->status, ==, 200);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = NULL;
      g_assert_cmpuint (me_fresh (c, again, &name), ==, 200);
      g_assert_cmpstr (name, ==, "Renamed");
    }

  /* Revoked in the database directly: refused within the lifetime. */
  g_autoptr(ThResponse) me = th_request (c, "GET", "/auth/me", again, NULL);
  const char *org = th_json_str (me, "organization_id");
  const char *user = th_json_str (me, "id");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdDbConn) conn = sd_db_connect (sd_server_get_db (c->server), &error);
    g_assert_no_error (error);
    g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, org, &error));
    g_assert_cmpint (sd_db_exec (conn, &error,
                                 "UPDATE sessions SET revoked_at = $3 WHERE org_id = $1 AND user_id = $2",
                                 "ssi", org, user, g_get_real_time () / G_USEC_PER_SEC), >=, 1);
    g_assert_no_error (error);
    g_assert_true (sd_db_commit (conn, &error));
  }
  gint64 revoked = g_get_monotonic_time ();
  while (me_fresh (c, again, NULL) != 401)
    {
      g_assert_cmpint (g_get_monotonic_time () - revoked, <, 3 * G_USEC_PER_SEC);
      g_usleep (50 * 1000);
    }
  g_usleep (1100 * 1000);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpuint (me_fresh (c, again, NULL), ==, 401);
  th_server_stop (c);
}

int
main (int argc, char *argv[])
{
  th_init (&argc, &argv);
  ts = th_server_start ();
  g_test_add_func ("/Api/auth/register-login-me", test_register_login_me);
  g_test_add_func ("/Api/auth/register-validation", test_register_validation);
  g_test_add_func ("/Api/auth/long-password-whole", test_long_password_whole);
  g_test_add_func ("/Api/auth/unknown-email-like-wrong-password", test_unknown_email_same_as_wrong_password);
  g_test_add_func ("/Api/auth/logout-and-bad-tokens", test_logout_and_bad_tokens);
  g_test_add_func ("/Api/auth/preferences", test_preferences);
  g_test_add_func ("/Api/auth/password-change", test_password_change);
  g_test_add_func ("/Api/auth/api-tokens", test_api_tokens);
  g_test_add_func ("/Api/users/roles", test_users_roles);
  g_test_add_func ("/Api/users/tenant-isolation", test_tenant_isolation);
  g_test_add_func ("/Api/plumbing", test_plumbing);
  g_test_add_func ("/Api/auth/session-expiry", test_session_expiry);
  g_test_add_func ("/Api/auth/session-cache", test_session_cache);
  g_test_add_func ("/Api/auth/login-rate-limit", test_login_rate_limit);
  int rc = g_test_run ();
  th_server_stop (ts);
  return rc;
}
