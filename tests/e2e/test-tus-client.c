/* test-tus-client.c — the client core's tus uploader (tc-tus.h) against a
 * real in-process signald, through a relay (th-proxy) that breaks the link
 * on purpose: the connection dropped in the middle of a chunk, the server
 * unreachable for a while, retries that run out; and the creation,
 * termination and checksum paths, the size check, and the token kept to
 * the server's own origin.  Every upload ends checked byte for byte. */
#include "th-proxy.h"
#include "th-server.h"

#include "tandem-error.h"
#include "tc-tus.h"

#include <string.h>

static ThServer *ts;
static ThProxy *proxy;
static char *tmpdir;

static void
use_proxy_as_public_url (SdConfig *config,
                         gpointer  data)
{
  g_free (config->public_url);
  config->public_url = g_strdup (th_proxy_get_url (data));
  /* The files here are random bytes: the media worker would fail them and
   * delete their uploads while the tests still look at them. */
  config->media_jobs = FALSE;
}

/* A file of @size pseudo-random bytes (the same for the same seed). */
static char *
make_file (const char *name,
           gsize       size,
           guint32     seed)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree guint8 *data = g_malloc (size);
  GRand *rand = g_rand_new_with_seed (seed);
  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int (rand);
  g_rand_free (rand);
  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));
  return g_steal_pointer (&path);
}

static char *
sha256_of_file (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

typedef struct {
  char *token;
  char *group_id;
  TandemApiClient *api;   /* through the relay, signed in */
} Account;

static void
account_free (Account *account)
{
  g_free (account->token);
  g_free (account->group_id);
  g_clear_object (&account->api);
  g_free (account);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Account, account_free)

static Account *
make_account (const char *tag)
{
  Account *account = g_new0 (Account, 1);
  g_autofree char *email = g_strdup_printf ("tus-%s@example.org", tag);
  g_autofree char *org = g_strdup_printf ("Tus %s", tag);
  account->token = th_register_admin (ts, email, org, NULL);
  g_autoptr(ThResponse) group = th_request (ts, "POST", "/groups", account->token, "{\"name\":\"Uploads\"}");
  g_assert_cmpuint (group->status, ==, 201);
  account->group_id = g_strdup (th_json_str (group, "id"));
  account->api = tandem_api_client_new (th_proxy_get_url (proxy));
  tandem_api_client_set_token (account->api, account->token);
  return account;
}

/* POST /assets for one file through the API client; its upload URL and,
 * in *@asset_id, the asset. */
static char *
create_asset (Account     *account,
              const char  *path,
              char       **asset_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *files = json_array_new ();
  JsonObject *file = json_object_new ();
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *data = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (path, &data, &size, NULL));
  json_object_set_string_member (file, "filename", name);
  json_object_set_int_member (file, "size", (gint64) size);
  json_array_add_object_element (files, file);
  json_object_set_string_member (body, "name", "Tus test");
  json_object_set_string_member (body, "group_id", account->group_id);
  json_object_set_array_member (body, "files", files);

  g_autoptr(JsonNode) reply = tandem_api_client_call_sync (account->api, "POST", "/assets", body, NULL, &error);
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (reply);
  *asset_id = g_strdup (json_object_get_string_member (json_object_get_object_member (root, "asset"), "id"));
  JsonObject *video = json_array_get_object_element (json_object_get_array_member (root, "videos"), 0);
  return g_strdup (json_object_get_string_member (video, "upload_url"));
}

/* The stored sha256 of the upload of the asset's only video. */
static char *
stored_sha256 (Account    *account,
               const char *asset_id)
{
  g_autofree char *path = g_strdup_printf ("/assets/%s", asset_id);
  g_autoptr(ThResponse) r = th_request (ts, "GET", path, account->token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (th_json_str (r, "videos.0.sha256"));
}

/* ---- async upload with a main loop ---- */

typedef struct {
  GMainLoop *loop;
  gboolean done;
  GError *error;
  GArray *offsets;      /* every progress offset, in order */
  guint max_retry;
  guint64 length;
  ThProxy *break_proxy; /* when set: refuse connections for a moment at the first retry */
} Watch;

static gboolean
accept_again_cb (gpointer data)
{
  th_proxy_set_refusing (data, FALSE);
  return G_SOURCE_REMOVE;
}

static void
progress_cb (const TcTusProgress *p,
             gpointer             user_data)
{
  Watch *watch = user_data;
  g_array_append_val (watch->offsets, p->offset);
  watch->length = p->length;
  if (p->retry > 0)
    g_assert_nonnull (p->retry_reason);
  watch->max_retry = MAX (watch->max_retry, p->retry);
  g_assert_cmpuint (p->offset, <=, p->length);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Watch *watch = user_data;
  tc_tus_client_upload_file_finish (TC_TUS_CLIENT (source), result, &watch->error);
  watch->done = TRUE;
  g_main_loop_quit (watch->loop);
}

static void
run_upload (TcTusClient *tus,
            const char  *url,
            const char  *path,
            Watch       *watch)
{
  watch->loop = g_main_loop_new (NULL, FALSE);
  watch->offsets = g_array_new (FALSE, FALSE, sizeof (guint64));
  tc_tus_client_upload_file_async (tus, url, path, progress_cb, watch, NULL, NULL, done_cb, watch);
  while (!watch->done)
    g_main_loop_run (watch->loop);
  g_main_loop_unref (watch->loop);
}

static void
watch_clear (Watch *watch)
{
  g_clear_error (&watch->error);
  g_clear_pointer (&watch->offsets, g_array_unref);
}

/* ---- tests ---- */

/* The link drops in the middle of a chunk, twice: the client re-asks the
 * offset and carries on; the stored file is the same. */
static void
test_connection_cut (void)
{
  g_autoptr(Account) account = make_account ("cut");
  g_autofree char *path = make_file ("cut.bin", 1536 * 1024 + 77, 1);
  g_autofree char *sha = sha256_of_file (path);
  g_autofree char *asset_id = NULL;
  g_autofree char *url = create_asset (account, path, &asset_id);
  g_assert_true (g_str_has_prefix (url, th_proxy_get_url (proxy)));

  g_autoptr(TcTusClient) tus = tc_tus_client_new (account->api);
  tc_tus_client_set_chunk_size (tus, 256 * 1024);
  tc_tus_client_set_retry (tus, 5, 20);

  guint cuts_before = th_proxy_get_cuts (proxy);
  th_proxy_cut_after (proxy, 600 * 1024);   /* inside the third chunk */
  Watch watch = { 0 };
  run_upload (tus, url, path, &watch);
  g_assert_no_error (watch.error);
  g_assert_cmpuint (th_proxy_get_cuts (proxy), ==, cuts_before + 1);
  g_assert_cmpuint (watch.max_retry, >=, 1);
  g_assert_cmpuint (watch.length, ==, 1536 * 1024 + 77);
  g_assert_cmpuint (g_array_index (watch.offsets, guint64, watch.offsets->len - 1), ==, watch.length);

  g_autofree char *stored = stored_sha256 (account, asset_id);
  g_assert_cmpstr (stored, ==, sha);
  watch_clear (&watch);
}

/* The server cannot be reached for a while: the client waits, retries and
 * finishes; without enough retries it gives up with a network error. */
static void
test_unreachable_then_back (void)
{
  g_autoptr(Account) account = make_account ("away");
  g_autofree char *path = make_file ("away.bin", 300 * 1024, 2);
  g_autofree char *sha = sha256_of_file (path);
  g_autofree char *asset_id = NULL;
  g_autofree char *url = create_asset (account, path, &asset_id);

  /* Gives up: every attempt refused, 3 tries. */
  {
    g_autoptr(TcTusClient) tus = tc_tus_client_new (account->api);
    tc_tus_client_set_retry (tus, 3, 10);
    th_proxy_set_refusing (proxy, TRUE);
    Watch watch = { 0 };
    run_upload (tus, url, path, &watch);
    th_proxy_set_refusing (proxy, FALSE);
    g_assert_error (watch.error, TANDEM_ERROR, TANDEM_ERROR_NETWORK);
    g_assert_cmpuint (watch.max_retry, ==, 3);
    watch_clear (&watch);
  }

  /* Refused for ~300 ms, then back: enough retries bridge the gap. */
  {
    g_autoptr(TcTusClient) tus = tc_tus_client_new (account->api);
    tc_tus_client_set_chunk_size (tus, 64 * 1024);
    tc_tus_client_set_retry (tus, 8, 40);
    th_proxy_set_refusing (proxy, TRUE);
    g_timeout_add (300, accept_again_cb, proxy);
    Watch watch = { 0 };
    run_upload (tus, url, path, &watch);
    g_assert_no_error (watch.error);
    g_assert_cmpuint (watch.max_retry, >=, 1);
    watch_clear (&watch);
  }
  g_autofree char *stored = stored_sha256 (account, asset_id);
  g_assert_cmpstr (stored, ==, sha);
}

/* Blocking form, creation and termination extensions, offsets. */
static void
test_create_offset_terminate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Account) account = make_account ("create");
  g_autofree char *path = make_file ("created.bin", 200 * 1024, 3);
  g_autoptr(TcTusClient) tus = tc_tus_client_new (account->api);
  g_autoptr(GHashTable) metadata = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (metadata, "group_id", account->group_id);
  g_hash_table_insert (metadata, "name", "Created by tus");
  g_hash_table_insert (metadata, "filename", "created.bin");

  g_autofree char *url = tc_tus_client_create (tus, "/uploads", 200 * 1024, metadata, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, th_proxy_get_url (proxy)));

  guint64 offset = 99;
  gint64 length = 0;
  g_assert_true (tc_tus_client_get_offset (tus, url, &offset, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (offset, ==, 0);
  g_assert_cmpint (length, ==, 200 * 1024);

  tc_tus_client_set_chunk_size (tus, 64 * 1024);
  g_assert_true (tc_tus_client_upload_file (tus, url, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tc_tus_client_get_offset (tus, url, &offset, &length, NULL, &error));
  g_assert_cmpuint (offset, ==, 200 * 1024);

  /* Sending a finished upload again is a no-op. */
  g_assert_true (tc_tus_client_upload_file (tus, url, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* A file of another size does not fit the upload. */
  g_autofree char *other = make_file ("other.bin", 1000, 4);
  g_autofree char *url2 = tc_tus_client_create (tus, "/uploads", 999, metadata, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (tc_tus_client_upload_file (tus, url2, other, NULL, NULL, NULL, &error));
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Termination: the upload is gone. */
  g_assert_true (tc_tus_client_terminate (tus, url2, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (tc_tus_client_get_offset (tus, url2, &offset, &length, NULL, &error));
  g_assert_true (g_error_matches (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND) ||
                 g_error_matches (error, TANDEM_ERROR, TANDEM_ERROR_GONE));
  g_clear_error (&error);

  /* Cancelled before it starts. */
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  g_assert_false (tc_tus_client_upload_file (tus, url, path, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The token goes to the server's origin only: an upload URL elsewhere (here
 * signald's own port, not the relay the client was given) gets no token,
 * and the server refuses the anonymous request. */
static void
test_token_stays_home (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Account) account = make_account ("home");
  g_autofree char *path = make_file ("home.bin", 1000, 5);
  g_autofree char *asset_id = NULL;
  g_autofree char *url = create_asset (account, path, &asset_id);
  g_autofree char *elsewhere = g_strconcat (ts->url, url + strlen (th_proxy_get_url (proxy)), NULL);

  g_autoptr(TcTusClient) tus = tc_tus_client_new (account->api);
  guint64 offset = 0;
  g_assert_false (tc_tus_client_get_offset (tus, elsewhere, &offset, NULL, NULL, &error));
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_true (tc_tus_client_get_offset (tus, url, &offset, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Relative URLs are the server's. */
  g_autofree char *relative = tc_tus_client_resolve (tus, "/uploads/x");
  g_autofree char *expected = g_strconcat (th_proxy_get_url (proxy), "/uploads/x", NULL);
  g_assert_cmpstr (relative, ==, expected);
  g_assert_null (tc_tus_client_resolve (tus, "ftp://example.org/x"));
}

int
main (int    argc,
      char **argv)
{
  th_init (&argc, &argv);
  tmpdir = g_dir_make_tmp ("tandem-tus-XXXXXX", NULL);
  proxy = th_proxy_new ();
  ts = th_server_start_full (use_proxy_as_public_url, proxy);
  th_proxy_set_upstream (proxy, sd_server_get_port (ts->server));

  g_test_add_func ("/Client/Tus/connection-cut", test_connection_cut);
  g_test_add_func ("/Client/Tus/unreachable-then-back", test_unreachable_then_back);
  g_test_add_func ("/Client/Tus/create-offset-terminate", test_create_offset_terminate);
  g_test_add_func ("/Client/Tus/token-stays-home", test_token_stays_home);

  int status = g_test_run ();
  th_server_stop (ts);
  th_proxy_free (proxy);
  g_autoptr(GFile) dir = g_file_new_for_path (tmpdir);
  g_autoptr(GFileEnumerator) files = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME, 0, NULL, NULL);
  GFileInfo *info;
  while (files != NULL && (info = g_file_enumerator_next_file (files, NULL, NULL)) != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));
      g_file_delete (child, NULL, NULL);
      g_object_unref (info);
    }
  g_file_delete (dir, NULL, NULL);
  g_free (tmpdir);
  return status;
}
