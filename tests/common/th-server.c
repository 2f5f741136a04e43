/* th-server.c — in-process signald for API tests. */
#include "th-server.h"
#include "th-json.h"

#ifdef HAVE_POSTGRES
#include "th-pg.h"
#endif

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

gboolean
th_backend_is_postgres (void)
{
  return g_strcmp0 (g_getenv ("TANDEM_TEST_BACKEND"), "postgres") == 0;
}

void
th_init (int    *argc,
         char ***argv)
{
  g_test_init (argc, argv, NULL);
  if (th_backend_is_postgres () && g_getenv ("TANDEM_TEST_PG_ADMIN") == NULL)
    {
      if (g_strcmp0 (g_getenv ("TANDEM_TEST_REQUIRE_PG"), "1") == 0)
        {
          g_printerr ("TANDEM_TEST_REQUIRE_PG=1 but no PostgreSQL test cluster is configured\n");
          exit (1);
        }
      g_print ("1..0 # SKIP no PostgreSQL test cluster (TANDEM_TEST_PG_ADMIN unset)\n");
      exit (0);
    }
}

static void
launch (ThServer *ts)
{
  g_autoptr(GError) error = NULL;
  SdConfig *config = sd_config_new_defaults ();
  g_free (config->listen_host);
  config->listen_host = g_strdup ("127.0.0.1");
  config->listen_port = 0;
  config->workers = 2;
  config->log_requests = g_getenv ("TANDEM_TEST_LOG") != NULL;
  /* TANDEM_TEST_HTTP_FRONTEND=soup runs a suite through libsoup alone. */
  if (g_strcmp0 (g_getenv ("TANDEM_TEST_HTTP_FRONTEND"), "soup") == 0)
    config->http_frontend = SD_HTTP_FRONTEND_SOUP;
  config->data_dir = g_strdup (ts->tmpdir);
  config->mail_spool = g_strdup (ts->mail_spool);
  config->database_url = g_strdup (ts->db_url);
#ifdef HAVE_POSTGRES
  if (ts->pg_database != NULL)
    config->database_owner_url = th_pg_url ("TANDEM_TEST_PG_OWNER", ts->pg_database);
#endif
  if (ts->tweak != NULL)
    ts->tweak (config, ts->tweak_data);
  sd_config_finish (config);

  ts->server = sd_server_new (config, &error);
  g_assert_no_error (error);
  sd_server_start (ts->server, &error);
  g_assert_no_error (error);
  g_free (ts->url);
  ts->url = g_strdup (sd_server_get_url (ts->server));
}

ThServer *
th_server_start_full (void   (*tweak) (SdConfig *config, gpointer data),
                      gpointer data)
{
  g_autoptr(GError) error = NULL;
  ThServer *ts = g_new0 (ThServer, 1);

  ts->tmpdir = g_dir_make_tmp ("tandem-test-XXXXXX", &error);
  g_assert_no_error (error);
  ts->mail_spool = g_build_filename (ts->tmpdir, "mail", NULL);
  ts->tweak = tweak;
  ts->tweak_data = data;

  if (th_backend_is_postgres ())
    {
#ifdef HAVE_POSTGRES
      ts->pg_database = th_pg_create_database (&error);
      g_assert_no_error (error);
      ts->db_url = th_pg_url ("TANDEM_TEST_PG_APP", ts->pg_database);
#else
      g_error ("this build has no PostgreSQL support");
#endif
    }
  else
    ts->db_url = g_strconcat ("sqlite:", ts->tmpdir, "/signald.db", NULL);

  launch (ts);
  ts->session = soup_session_new_with_options ("timeout", 30, "max-conns", 64, "max-conns-per-host", 64, NULL);
  return ts;
}

ThServer *
th_server_start_twin (ThServer  *first,
                      void     (*tweak) (SdConfig *config, gpointer data),
                      gpointer   data)
{
  g_autoptr(GError) error = NULL;
  ThServer *ts = g_new0 (ThServer, 1);

  ts->tmpdir = g_dir_make_tmp ("tandem-test-XXXXXX", &error);
  g_assert_no_error (error);
  ts->mail_spool = g_build_filename (ts->tmpdir, "mail", NULL);
  ts->tweak = tweak;
  ts->tweak_data = data;
  ts->pg_database = g_strdup (first->pg_database);
  ts->db_url = g_strdup (first->db_url);
  ts->borrowed_db = TRUE;
  launch (ts);
  ts->session = soup_session_new_with_options ("timeout", 30, "max-conns", 64, "max-conns-per-host", 64, NULL);
  return ts;
}

void
th_server_restart (ThServer *ts)
{
  g_clear_pointer (&ts->server, sd_server_free);
  launch (ts);
}

ThServer *
th_server_start (void)
{
  return th_server_start_full (NULL, NULL);
}

static void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            rm_rf (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

void
th_server_stop (ThServer *ts)
{
  if (ts == NULL)
    return;
  g_clear_object (&ts->session);
  g_clear_pointer (&ts->server, sd_server_free);
#ifdef HAVE_POSTGRES
  if (ts->pg_database != NULL && !ts->borrowed_db)
    th_pg_drop_database (ts->pg_database);
#endif
  if (g_getenv ("TANDEM_TEST_KEEP") == NULL)
    rm_rf (ts->tmpdir);
  g_free (ts->pg_database);
  g_free (ts->db_url);
  g_free (ts->mail_spool);
  g_free (ts->tmpdir);
  g_free (ts->url);
  g_free (ts);
}

ThResponse *
th_request_bytes (ThServer   *ts,
                  const char *method,
                  const char *path,
                  const char *token,
                  const char *content_type,
                  GBytes     *body)
{
  g_autofree char *uri = g_strconcat (ts->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  g_assert_nonnull (msg);

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);

  ThResponse *r = g_new0 (ThResponse, 1);
  r->body = soup_session_send_and_read (ts->session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  const char *type = soup_message_headers_get_content_type (r->headers, NULL);
  if (g_strcmp0 (type, "application/json") == 0 && g_bytes_get_size (r->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      if (json_parser_load_from_data (parser, g_bytes_get_data (r->body, NULL),
                                      (gssize) g_bytes_get_size (r->body), NULL))
        r->json = json_node_copy (json_parser_get_root (parser));
    }
  return r;
}

ThResponse *
th_request (ThServer   *ts,
            const char *method,
            const char *path,
            const char *token,
            const char *body)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;
  return th_request_bytes (ts, method, path, token, "application/json", bytes);
}

ThResponse *
th_requestf (ThServer   *ts,
             const char *method,
             const char *path,
             const char *token,
             const char *body_format,
             ...)
{
  va_list args;
  va_start (args, body_format);
  g_autofree char *body = g_strdup_vprintf (body_format, args);
  va_end (args);
  return th_request (ts, method, path, token, body);
}

void
th_response_free (ThResponse *r)
{
  if (r == NULL)
    return;
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r);
}

JsonNode *
th_json_at (ThResponse *r,
            const char *path)
{
  return th_json_node_at (r->json, path);
}

const char *
th_json_str (ThResponse *r,
             const char *path)
{
  JsonNode *node = th_json_at (r, path);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
th_json_int (ThResponse *r,
             const char *path)
{
  JsonNode *node = th_json_at (r, path);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return G_MININT64;
  return json_node_get_int (node);
}

guint
th_json_len (ThResponse *r,
             const char *path)
{
  JsonNode *node = th_json_at (r, path);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return 0;
  return json_array_get_length (json_node_get_array (node));
}

char *
th_register_admin (ThServer   *ts,
                   const char *email,
                   const char *org,
                   char      **user_id)
{
  g_autoptr(ThResponse) r = th_requestf (ts, "POST", "/auth/register", NULL,
    "{\"email\":\"%s\",\"password\":\"" TH_PASSWORD "\",\"name\":\"Admin of %s\",\"organization\":\"%s\"}",
    email, org, org);
  if (r->status != 201)
    g_error ("register %s: %u %.*s", email, r->status, (int) g_bytes_get_size (r->body),
             (const char *) g_bytes_get_data (r->body, NULL));
  if (user_id != NULL)
    *user_id = g_strdup (th_json_str (r, "user.id"));
  return g_strdup (th_json_str (r, "token"));
}

char *
th_add_user (ThServer   *ts,
             const char *admin_token,
             const char *email,
             const char *role,
             char      **user_id)
{
  g_autoptr(ThResponse) r = th_requestf (ts, "POST", "/users", admin_token,
    "{\"email\":\"%s\",\"password\":\"" TH_PASSWORD "\",\"name\":\"%s user\",\"role\":\"%s\"}",
    email, role, role);
  if (r->status != 201)
    g_error ("add user %s: %u", email, r->status);
  if (user_id != NULL)
    *user_id = g_strdup (th_json_str (r, "id"));
  g_autoptr(ThResponse) l = th_requestf (ts, "POST", "/auth/login", NULL,
    "{\"email\":\"%s\",\"password\":\"" TH_PASSWORD "\"}", email);
  if (l->status != 200)
    g_error ("login %s: %u", email, l->status);
  return g_strdup (th_json_str (l, "token"));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

GPtrArray *
th_spool_wait (ThServer *ts,
               guint     count,
               guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  for (;;)
    {
      GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
      GDir *dir = g_dir_open (ts->mail_spool, 0, NULL);
      if (dir != NULL)
        {
          const char *name;
          while ((name = g_dir_read_name (dir)) != NULL)
            if (g_str_has_suffix (name, ".eml"))
              g_ptr_array_add (files, g_build_filename (ts->mail_spool, name, NULL));
          g_dir_close (dir);
        }
      g_ptr_array_sort (files, compare_names);
      if (files->len >= count || g_get_monotonic_time () > deadline)
        return files;
      g_ptr_array_unref (files);
      g_usleep (20000);
    }
}

void
th_join_group (ThServer   *ts,
               const char *inviter,
               const char *group_id,
               const char *email,
               const char *member)
{
  g_autofree char *path = g_strdup_printf ("/groups/%s/invitations", group_id);
  g_autoptr(ThResponse) inv = th_requestf (ts, "POST", path, inviter, "{\"email\":\"%s\"}", email);
  g_assert_cmpuint (inv->status, ==, 201);
  g_autofree char *accept = g_strdup_printf ("/invitations/%s/accept", th_json_str (inv, "code"));
  g_autoptr(ThResponse) ok = th_request (ts, "POST", accept, member, NULL);
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpstr (th_json_str (ok, "group.id"), ==, group_id);
}
