/* test-api-client.c — TandemApiClient (shared/) against a real signald:
 * async and blocking calls, the bearer token, error mapping (server codes,
 * unreachable server, non-JSON replies), cancellation, URL checks. */
#include "th-server.h"

#include "tandem-api-client.h"
#include "tandem-error.h"

#include <string.h>

static ThServer *ts;

/* ---- async helper ---- */

typedef struct {
  GMainLoop *loop;
  JsonNode *node;
  GError *error;
} AsyncResult;

static void
call_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  AsyncResult *r = data;
  r->node = tandem_api_client_call_finish (TANDEM_API_CLIENT (source), result, &r->error);
  g_main_loop_quit (r->loop);
}

/* Runs one async call to completion on a private main context. */
static JsonNode *
call_async (TandemApiClient  *client,
            const char       *method,
            const char       *path,
            JsonObject       *body,
            GCancellable     *cancellable,
            GError          **error)
{
  AsyncResult r = { 0 };
  r.loop = g_main_loop_new (g_main_context_get_thread_default (), FALSE);
  tandem_api_client_call_async (client, method, path, body, cancellable, call_done, &r);
  g_main_loop_run (r.loop);
  g_main_loop_unref (r.loop);
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.node;
}


static void
fetch_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  AsyncResult *r = data;
  GBytes *bytes = tandem_api_client_fetch_finish (TANDEM_API_CLIENT (source), result, &r->error);
  r->node = bytes != NULL ? json_node_new (JSON_NODE_NULL) : NULL;
  if (bytes != NULL)
    g_object_set_data_full (G_OBJECT (source), "fetched", bytes, (GDestroyNotify) g_bytes_unref);
  g_main_loop_quit (r->loop);
}

/* Runs tandem_api_client_fetch_async() to completion; the bytes or NULL. */
static GBytes *
fetch (TandemApiClient  *client,
       const char       *path,
       GError          **error)
{
  AsyncResult r = { 0 };
  r.loop = g_main_loop_new (g_main_context_get_thread_default (), FALSE);
  tandem_api_client_fetch_async (client, path, NULL, fetch_done, &r);
  g_main_loop_run (r.loop);
  g_main_loop_unref (r.loop);
  g_clear_pointer (&r.node, json_node_unref);
  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return NULL;
    }
  return g_bytes_ref (g_object_get_data (G_OBJECT (client), "fetched"));
}

/* Runs tandem_api_client_send_bytes_async() to completion. */
static JsonNode *
send_bytes (TandemApiClient  *client,
            const char       *method,
            const char       *path,
            const char       *type,
            GBytes           *body,
            GError          **error)
{
  AsyncResult r = { 0 };
  r.loop = g_main_loop_new (g_main_context_get_thread_default (), FALSE);
  tandem_api_client_send_bytes_async (client, method, path, type, body, NULL, call_done, &r);
  g_main_loop_run (r.loop);
  g_main_loop_unref (r.loop);
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.node;
}

static JsonObject *
credentials (const char *email,
             const char *password)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "email", email);
  json_object_set_string_member (o, "password", password);
  return o;
}

/* ---- tests ---- */

static void
test_normalize_url (void)
{
  struct { const char *in; const char *out; } good[] = {
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "http://127.0.0.1:8080/", "http://127.0.0.1:8080" },
    { "HTTPS://Tandem.Example.ORG/", "https://tandem.example.org" },
    { "https://tandem.example.org:443/", "https://tandem.example.org" },
    { "http://example.org:80", "http://example.org" },
    { "https://example.org/prefix/", "https://example.org/prefix" },
    { "http://[::1]:9000", "http://[::1]:9000" },
  };
  const char *bad[] = {
    "", "example.org", "127.0.0.1:8080", "ftp://example.org", "http://", "http://example.org/?a=b",
    "http://example.org/#x", "http://user:pw@example.org", "not a url",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = tandem_api_client_normalize_url (good[i].in, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, good[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = tandem_api_client_normalize_url (bad[i], &error);
      g_assert_null (url);
      g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST);
    }
}

static void
test_sync_and_async (void)
{
  g_autoptr(TandemApiClient) client = tandem_api_client_new (ts->url);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (tandem_api_client_get_base_url (client), ==, ts->url);
  g_assert_null (tandem_api_client_get_token (client));

  g_autoptr(JsonNode) health = tandem_api_client_call_sync (client, "GET", "/health", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (health), "status"), ==, "ok");

  g_autoptr(JsonNode) health2 = call_async (client, "GET", "/health", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (health, health2) ||
                 json_object_has_member (json_node_get_object (health2), "status"));

  /* Register, then use the token both ways. */
  g_autoptr(JsonObject) body = credentials ("api@client.example", TH_PASSWORD);
  json_object_set_string_member (body, "name", "Api Client");
  json_object_set_string_member (body, "organization", "Client Org");
  g_autoptr(JsonNode) reg = call_async (client, "POST", "/auth/register", body, NULL, &error);
  g_assert_no_error (error);
  const char *token = json_object_get_string_member (json_node_get_object (reg), "token");
  tandem_api_client_set_token (client, token);
  g_assert_cmpstr (tandem_api_client_get_token (client), ==, token);

  g_autoptr(JsonNode) me = tandem_api_client_call_sync (client, "GET", "/auth/me", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (me), "email"), ==, "api@client.example");
  g_autoptr(JsonNode) me2 = call_async (client, "GET", "/auth/me", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (me, me2));

  /* A query string passes through. */
  g_autoptr(JsonNode) groups = tandem_api_client_call_sync (client, "GET", "/groups?limit=5", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (json_node_get_object (groups), "items"));

  /* 204: a JSON null node. */
  g_autoptr(JsonNode) out = call_async (client, "POST", "/auth/logout", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  g_assert_true (JSON_NODE_HOLDS_NULL (out));

  /* The token is dead now: 401 unauthorized with the server's message. */
  g_autoptr(JsonNode) dead = tandem_api_client_call_sync (client, "GET", "/auth/me", NULL, NULL, &error);
  g_assert_null (dead);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==, "the token is invalid or expired; sign in again");
  g_clear_error (&error);

  tandem_api_client_set_token (client, NULL);
  g_autoptr(JsonNode) anon = call_async (client, "GET", "/auth/me", NULL, NULL, &error);
  g_assert_null (anon);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED);
}

/* A 1×1 PNG. */
static const guint8 tiny_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
  0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x08, 0xd7, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
  0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xdd, 0x8d, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
  0x44, 0xae, 0x42, 0x60, 0x82,
};

static void
test_bytes (void)
{
  g_autoptr(TandemApiClient) client = tandem_api_client_new (ts->url);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = th_register_admin (ts, "bytes@client.example", "Bytes Org", NULL);
  tandem_api_client_set_token (client, token);

  g_autoptr(ThResponse) group = th_request (ts, "POST", "/groups", token, "{\"name\":\"Pictures\"}");
  g_assert_cmpuint (group->status, ==, 201);
  g_autofree char *avatar = g_strdup_printf ("/groups/%s/avatar", th_json_str (group, "id"));

  /* No picture yet: the JSON error of a byte fetch. */
  g_autoptr(GBytes) none = fetch (client, avatar, &error);
  g_assert_null (none);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Bytes up (the reply is JSON), bytes down (a PNG, as stored). */
  g_autoptr(GBytes) png = g_bytes_new_static (tiny_png, sizeof tiny_png);
  g_autoptr(JsonNode) put = send_bytes (client, "PUT", avatar, "image/png", png, &error);
  g_assert_no_error (error);
  g_assert_nonnull (put);
  g_autoptr(GBytes) got = fetch (client, avatar, &error);
  g_assert_no_error (error);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (got, &len);
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (data, 8, tiny_png, 8);

  /* Refused bytes: the server's code. */
  g_autoptr(GBytes) junk = g_bytes_new_static ("not a picture", 13);
  g_autoptr(JsonNode) bad = send_bytes (client, "PUT", avatar, "image/png", junk, &error);
  g_assert_null (bad);
  g_assert_true (error->domain == TANDEM_ERROR);
  g_assert_cmpint (error->code, !=, TANDEM_ERROR_NETWORK);
  g_clear_error (&error);

  /* Without the token: 404 or 401, never the picture. */
  tandem_api_client_set_token (client, NULL);
  g_autoptr(GBytes) anon = fetch (client, avatar, &error);
  g_assert_null (anon);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED);
}

static void
test_server_errors (void)
{
  g_autoptr(TandemApiClient) client = tandem_api_client_new (ts->url);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = th_register_admin (ts, "errors@client.example", "Errors Org", NULL);

  g_autoptr(JsonObject) wrong = credentials ("errors@client.example", "not the password at all");
  g_autoptr(JsonNode) a = tandem_api_client_call_sync (client, "POST", "/auth/login", wrong, NULL, &error);
  g_assert_null (a);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpstr (error->message, ==, "the e-mail address or the password is wrong");
  g_clear_error (&error);

  g_autoptr(JsonObject) dup = credentials ("errors@client.example", TH_PASSWORD);
  json_object_set_string_member (dup, "name", "Again");
  json_object_set_string_member (dup, "organization", "Again");
  g_autoptr(JsonNode) b = call_async (client, "POST", "/auth/register", dup, NULL, &error);
  g_assert_null (b);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_EMAIL_TAKEN);
  g_clear_error (&error);

  tandem_api_client_set_token (client, token);
  g_autoptr(JsonNode) c = tandem_api_client_call_sync (client, "GET",
                                                       "/groups/00000000-0000-4000-8000-000000000000",
                                                       NULL, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A reply that is not JSON (the HTML invitation page): the status decides. */
  g_autoptr(JsonNode) d = tandem_api_client_call_sync (client, "GET", "/invite/ZZZZZZ", NULL, NULL, &error);
  g_assert_null (d);
  g_assert_true (error->domain == TANDEM_ERROR);
  g_assert_nonnull (strstr (error->message, ts->url));
  g_clear_error (&error);

  /* A path that makes no URL. */
  g_autoptr(JsonNode) e = tandem_api_client_call_sync (client, "GET", "/a b%", NULL, NULL, &error);
  g_assert_null (e);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST);
}

static void
test_unreachable (void)
{
  /* Bind a port, then close it: nothing listens there. */
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autofree char *prefix = g_strdup_printf ("cannot reach the server at %s: ", url);
  g_autoptr(TandemApiClient) client = tandem_api_client_new (url);

  g_autoptr(JsonNode) a = tandem_api_client_call_sync (client, "GET", "/health", NULL, NULL, &error);
  g_assert_null (a);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_clear_error (&error);

  g_autoptr(JsonNode) b = call_async (client, "GET", "/health", NULL, NULL, &error);
  g_assert_null (b);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, prefix));
}

static void
test_cancelled (void)
{
  g_autoptr(TandemApiClient) client = tandem_api_client_new (ts->url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_autoptr(JsonNode) a = call_async (client, "GET", "/health", NULL, cancellable, &error);
  g_assert_null (a);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_autoptr(JsonNode) b = tandem_api_client_call_sync (client, "GET", "/health", NULL, cancellable, &error);
  g_assert_null (b);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_callback_in_callers_context (void)
{
  /* A call started under a pushed thread-default context completes there. */
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  g_autoptr(TandemApiClient) client = tandem_api_client_new (ts->url);
  g_autoptr(JsonNode) node = call_async (client, "GET", "/version", NULL, NULL, &error);
  g_main_context_pop_thread_default (context);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "name"), ==, "signald");
}

int
main (int    argc,
      char **argv)
{
  th_init (&argc, &argv);
  ts = th_server_start ();

  g_test_add_func ("/api-client/normalize-url", test_normalize_url);
  g_test_add_func ("/api-client/sync-and-async", test_sync_and_async);
  g_test_add_func ("/api-client/server-errors", test_server_errors);
  g_test_add_func ("/api-client/bytes", test_bytes);
  g_test_add_func ("/api-client/unreachable", test_unreachable);
  g_test_add_func ("/api-client/cancelled", test_cancelled);
  g_test_add_func ("/api-client/callback-in-callers-context", test_callback_in_callers_context);

  int status = g_test_run ();
  th_server_stop (ts);
  return status;
}
