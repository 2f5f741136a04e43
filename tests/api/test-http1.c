/* test-http1.c — signald's fast HTTP/1.1 front end (signald/http/) driven
 * over raw sockets: keep-alive, pipelining (with a deferred request in the
 * middle, answered in order), Connection: close and HTTP/1.0, the limits
 * (400, 413, 431) and their closing, clients that send a byte at a time,
 * slow-loris and idle timeouts, and the hand-off to libsoup in the middle
 * of a connection: a tus upload (PATCH streams its body), a streamed video
 * with Range, a WebSocket upgrade request, and a chunked body.  Which side
 * answered shows in the Server header ("signald" from the front end,
 * "signald libsoup/…" from libsoup).  Also: --http-frontend soup serves
 * everything through libsoup.  Runs on SQLite and PostgreSQL. */
#include "th-media.h"
#include "th-server.h"
#include "th-tus.h"

#include <gst/gst.h>
#include <string.h>

static ThServer *ts;
static char *admin, *group_id, *media_dir;

/* ---- a raw HTTP/1.1 client ---- */

typedef struct {
  GSocketConnection *conn;
  GSocket *socket;
  GByteArray *buf;             /* received, not yet taken */
} Raw;

typedef struct {
  char *version;               /* "HTTP/1.1" */
  guint status;
  GPtrArray *names, *values;
  GBytes *body;
} RawResponse;

static void
raw_response_free (RawResponse *r)
{
  g_free (r->version);
  g_ptr_array_unref (r->names);
  g_ptr_array_unref (r->values);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawResponse, raw_response_free)

static void
raw_free (Raw *raw)
{
  g_clear_object (&raw->conn);
  g_byte_array_unref (raw->buf);
  g_free (raw);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

static Raw *
raw_connect_to (ThServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  Raw *raw = g_new0 (Raw, 1);
  raw->conn = g_socket_client_connect_to_uri (client, server->url, 80, NULL, &error);
  g_assert_no_error (error);
  raw->socket = g_socket_connection_get_socket (raw->conn);
  g_socket_set_timeout (raw->socket, 20);
  raw->buf = g_byte_array_new ();
  return raw;
}

static Raw *
raw_connect (void)
{
  return raw_connect_to (ts);
}

static void
raw_send (Raw        *raw,
          const void *data,
          gsize       len)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (raw->conn));
  g_assert_true (g_output_stream_write_all (out, data, len, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void G_GNUC_PRINTF (2, 3)
raw_sendf (Raw        *raw,
           const char *format,
           ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  raw_send (raw, text, strlen (text));
}

/* Reads more into raw->buf; FALSE on end of stream. */
static gboolean
raw_fill (Raw *raw)
{
  g_autoptr(GError) error = NULL;
  guint8 chunk[65536];
  gssize n = g_socket_receive (raw->socket, (char *) chunk, sizeof chunk, NULL, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    return FALSE;
  g_assert_no_error (error);
  if (n == 0)
    return FALSE;
  g_byte_array_append (raw->buf, chunk, (guint) n);
  return TRUE;
}

static const char *
raw_header (RawResponse *r,
            const char  *name)
{
  for (guint i = 0; i < r->names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (r->names, i), name) == 0)
      return g_ptr_array_index (r->values, i);
  return NULL;
}

/* Reads one response; @head_request: it has no body whatever it says. */
static RawResponse *
raw_read (Raw      *raw,
          gboolean  head_request)
{
  const char *end = NULL;
  while (raw->buf->len == 0 ||
         (end = g_strstr_len ((const char *) raw->buf->data, raw->buf->len, "\r\n\r\n")) == NULL)
    if (!raw_fill (raw))
      g_error ("the connection ended before a whole response head (%u bytes)", raw->buf->len);

  gsize head_len = (gsize) (end - (const char *) raw->buf->data) + 4;
  g_autofree char *head = g_strndup ((const char *) raw->buf->data, head_len - 4);
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);
  RawResponse *r = g_new0 (RawResponse, 1);
  r->names = g_ptr_array_new_with_free_func (g_free);
  r->values = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) status = g_strsplit (lines[0], " ", 3);
  g_assert_nonnull (status[0]);
  g_assert_nonnull (status[1]);
  r->version = g_strdup (status[0]);
  r->status = (guint) g_ascii_strtoull (status[1], NULL, 10);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      g_assert_nonnull (colon);
      g_ptr_array_add (r->names, g_strndup (lines[i], (gsize) (colon - lines[i])));
      g_ptr_array_add (r->values, g_strstrip (g_strdup (colon + 1)));
    }
  g_byte_array_remove_range (raw->buf, 0, (guint) head_len);

  const char *length = raw_header (r, "Content-Length");
  gsize body_len = head_request || length == NULL ? 0 : (gsize) g_ascii_strtoull (length, NULL, 10);
  while (raw->buf->len < body_len)
    if (!raw_fill (raw))
      g_error ("the connection ended inside a body");
  r->body = g_bytes_new (raw->buf->data, body_len);
  g_byte_array_remove_range (raw->buf, 0, (guint) body_len);
  return r;
}

/* Waits for the server to close: TRUE when it did, with nothing more sent. */
static gboolean
raw_closed (Raw *raw)
{
  guint before = raw->buf->len;
  while (raw_fill (raw))
    ;
  return raw->buf->len == before;
}

static gboolean
from_front_end (RawResponse *r)
{
  return g_strcmp0 (raw_header (r, "Server"), "signald") == 0;
}

static gboolean
from_libsoup (RawResponse *r)
{
  const char *server = raw_header (r, "Server");
  return server != NULL && strstr (server, "libsoup/") != NULL;
}

static gboolean
body_has (RawResponse *r,
          const char  *needle)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (r->body, &len);
  return data != NULL && g_strstr_len (data, (gssize) len, needle) != NULL;
}

#define GET_VERSION "GET /version HTTP/1.1\r\nHost: t\r\n\r\n"

/* ---- tests ---- */

static void
test_keep_alive (void)
{
  g_autoptr(Raw) raw = raw_connect ();
  for (guint i = 0; i < 3; i++)
    {
      raw_sendf (raw, GET_VERSION);
      g_autoptr(RawResponse) r = raw_read (raw, FALSE);
      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpstr (r->version, ==, "HTTP/1.1");
      g_assert_true (from_front_end (r));
      g_assert_nonnull (raw_header (r, "Date"));
      g_assert_cmpstr (raw_header (r, "Content-Type"), ==, "application/json");
      g_assert_null (raw_header (r, "Connection"));
      g_assert_true (body_has (r, "\"name\":\"signald\""));
    }
}

/* Five requests in one write, a deferred one (login: Argon2 on the thread
 * pool) in the middle: five answers, in order. */
static void
test_pipelining (void)
{
  g_autoptr(Raw) raw = raw_connect ();
  const char *login = "{\"email\":\"nobody@pipe.test\",\"password\":\"not the password at all\"}";
  raw_sendf (raw,
             GET_VERSION
             "GET /health HTTP/1.1\r\nHost: t\r\n\r\n"
             "POST /auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\n\r\n%s"
             "GET /nowhere?x=1 HTTP/1.1\r\nHost: t\r\n\r\n"
             "HEAD /version HTTP/1.1\r\nHost: t\r\n\r\n"
             "GET /groups HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n",
             strlen (login), login, admin);
  g_autoptr(RawResponse) a = raw_read (raw, FALSE);
  g_autoptr(RawResponse) b = raw_read (raw, FALSE);
  g_autoptr(RawResponse) c = raw_read (raw, FALSE);
  g_autoptr(RawResponse) d = raw_read (raw, FALSE);
  g_autoptr(RawResponse) e = raw_read (raw, TRUE);
  g_autoptr(RawResponse) f = raw_read (raw, FALSE);
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_true (body_has (a, "signald"));
  g_assert_cmpuint (b->status, ==, 200);
  g_assert_true (body_has (b, "\"database\":\"ok\""));
  g_assert_cmpuint (c->status, ==, 401);
  g_assert_true (body_has (c, "invalid_credentials"));
  g_assert_cmpuint (d->status, ==, 404);
  g_assert_true (body_has (d, "not_found"));
  g_assert_cmpuint (e->status, ==, 200);
  g_assert_cmpstr (raw_header (e, "Content-Length"), ==, raw_header (a, "Content-Length"));
  g_assert_cmpuint (g_bytes_get_size (e->body), ==, 0);
  g_assert_cmpuint (f->status, ==, 200);
  g_assert_true (body_has (f, "\"name\":\"Pipes\""));
  g_assert_cmpstr (raw_header (f, "Cache-Control"), ==, "no-store");
  g_assert_true (from_front_end (a) && from_front_end (c) && from_front_end (f));
  /* Nothing more, and the connection still serves. */
  g_assert_cmpuint (raw->buf->len, ==, 0);
  raw_sendf (raw, GET_VERSION);
  g_autoptr(RawResponse) g = raw_read (raw, FALSE);
  g_assert_cmpuint (g->status, ==, 200);
}

static void
test_connection_close (void)
{
  {
    /* Connection: close is answered, then the server closes; a request
     * sent after it is not served. */
    g_autoptr(Raw) raw = raw_connect ();
    raw_sendf (raw, "GET /version HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" GET_VERSION);
    g_autoptr(RawResponse) r = raw_read (raw, FALSE);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (raw_header (r, "Connection"), ==, "close");
    g_assert_true (raw_closed (raw));
  }
  {
    /* HTTP/1.0 closes unless it asks to keep the connection. */
    g_autoptr(Raw) raw = raw_connect ();
    raw_sendf (raw, "GET /version HTTP/1.0\r\n\r\n");
    g_autoptr(RawResponse) r = raw_read (raw, FALSE);
    g_assert_cmpstr (r->version, ==, "HTTP/1.0");
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_true (raw_closed (raw));
  }
  {
    g_autoptr(Raw) raw = raw_connect ();
    raw_sendf (raw, "GET /version HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    g_autoptr(RawResponse) r = raw_read (raw, FALSE);
    g_assert_cmpstr (raw_header (r, "Connection"), ==, "keep-alive");
    raw_sendf (raw, "GET /health HTTP/1.0\r\n\r\n");
    g_autoptr(RawResponse) s = raw_read (raw, FALSE);
    g_assert_cmpuint (s->status, ==, 200);
    g_assert_true (raw_closed (raw));
  }
  {
    /* A client that shuts its side after the request still gets the reply. */
    g_autoptr(Raw) raw = raw_connect ();
    raw_sendf (raw, GET_VERSION);
    g_assert_true (g_socket_shutdown (raw->socket, FALSE, TRUE, NULL));
    g_autoptr(RawResponse) r = raw_read (raw, FALSE);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_true (raw_closed (raw));
  }
}

/* A refused request gets a JSON error with Connection: close, then EOF. */
static void
assert_refused (const char *request,
                gsize       len,
                guint       status,
                const char *code)
{
  g_autoptr(Raw) raw = raw_connect ();
  raw_send (raw, request, len);
  g_autoptr(RawResponse) r = raw_read (raw, FALSE);
  g_assert_cmpuint (r->status, ==, status);
  g_assert_true (from_front_end (r));
  g_assert_cmpstr (raw_header (r, "Connection"), ==, "close");
  g_assert_cmpstr (raw_header (r, "Content-Type"), ==, "application/json");
  g_assert_true (body_has (r, code));
  g_assert_true (raw_closed (raw));
}

static void
test_limits (void)
{
  const char *folded = "GET /version HTTP/1.1\r\nHost: t\r\nX-A: b\r\n c\r\n\r\n";
  assert_refused (folded, strlen (folded), 400, "invalid_request");
  const char *twice = "POST /auth/login HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}";
  assert_refused (twice, strlen (twice), 400, "invalid_request");
  const char *no_host = "GET /version HTTP/1.1\r\n\r\n";
  assert_refused (no_host, strlen (no_host), 400, "invalid_request");

  /* A head over 16 KiB, complete or not. */
  g_autoptr(GString) big = g_string_new ("GET /version HTTP/1.1\r\nHost: t\r\nX-Big: ");
  while (big->len < 17 * 1024)
    g_string_append_c (big, 'a');
  assert_refused (big->str, big->len, 431, "invalid_request");
  g_string_append (big, "\r\n\r\n");
  assert_refused (big->str, big->len, 431, "invalid_request");

  /* A body over the route's limit is refused before it is sent, and the
   * client can still send it (the server drops it) and read the reply. */
  g_autoptr(Raw) raw = raw_connect ();
  raw_sendf (raw, "POST /auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                  "Content-Length: %d\r\n\r\n", 2 * 1024 * 1024);
  g_autoptr(RawResponse) r = raw_read (raw, FALSE);
  g_assert_cmpuint (r->status, ==, 413);
  g_assert_true (body_has (r, "payload_too_large"));
  g_assert_cmpstr (raw_header (r, "Connection"), ==, "close");
  g_autofree char *zeros = g_malloc0 (256 * 1024);
  raw_send (raw, zeros, 256 * 1024);
  g_assert_true (raw_closed (raw));

  /* Under the limit is fine. */
  const char *body = "{\"name\":\"Limits 1\"}";
  g_autoptr(Raw) ok = raw_connect ();
  raw_sendf (ok, "POST /groups HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
                 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
             admin, strlen (body), body);
  g_autoptr(RawResponse) created = raw_read (ok, FALSE);
  g_assert_cmpuint (created->status, ==, 201);
}

/* Many large replies asked for at once and read only later: the server
 * stops taking requests while its output backs up, and goes on as the
 * client reads; every reply arrives whole and in order. */
static void
test_backpressure (void)
{
  g_autoptr(Raw) raw = raw_connect ();
  g_autoptr(GString) burst = g_string_new (NULL);
  for (guint i = 0; i < 40; i++)
    g_string_append (burst, i % 2 == 0 ? "GET /openapi.json HTTP/1.1\r\nHost: t\r\n\r\n" : GET_VERSION);
  raw_send (raw, burst->str, burst->len);
  g_usleep (300 * 1000);   /* let the server fill the socket */
  gsize first = 0;
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(RawResponse) r = raw_read (raw, FALSE);
      g_assert_cmpuint (r->status, ==, 200);
      if (i % 2 == 1)
        {
          g_assert_true (body_has (r, "\"name\":\"signald\""));
          continue;
        }
      g_assert_true (body_has (r, "\"openapi\""));
      if (first == 0)
        first = g_bytes_get_size (r->body);
      g_assert_cmpuint (g_bytes_get_size (r->body), ==, first);
    }
  /* 20 × the API description is far more than the socket buffers hold. */
  g_assert_cmpuint (first * 20, >, 1024 * 1024);
}

/* Every byte in its own packet, a JSON body too. */
static void
test_slow_client (void)
{
  g_autoptr(Raw) raw = raw_connect ();
  const char *body = "{\"name\":\"Slowly\"}";
  g_autofree char *request = g_strdup_printf (
    "POST /groups HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s"
    GET_VERSION, admin, strlen (body), body);
  for (const char *p = request; *p != '\0'; p++)
    {
      raw_send (raw, p, 1);
      g_usleep (200);
    }
  g_autoptr(RawResponse) a = raw_read (raw, FALSE);
  g_assert_cmpuint (a->status, ==, 201);
  g_assert_true (body_has (a, "\"name\":\"Slowly\""));
  g_autoptr(RawResponse) b = raw_read (raw, FALSE);
  g_assert_cmpuint (b->status, ==, 200);
}

/* This test is about the fast front end, whatever TANDEM_TEST_HTTP_FRONTEND
 * asks of the other suites. */
static void
fast_frontend (SdConfig *config,
               gpointer  data)
{
  config->http_frontend = SD_HTTP_FRONTEND_FAST;
}

static void
short_timeouts (SdConfig *config,
                gpointer  data)
{
  config->http_frontend = SD_HTTP_FRONTEND_FAST;
  config->http_head_timeout_ms = 1000;
  config->http_idle_timeout_ms = 1500;
}

static void
test_timeouts (void)
{
  ThServer *quick = th_server_start_full (short_timeouts, NULL);
  gint64 start = g_get_monotonic_time ();
  {
    /* Slow-loris: a head that never ends. */
    g_autoptr(Raw) raw = raw_connect_to (quick);
    raw_sendf (raw, "GET /version HTTP/1.1\r\nHost: t\r\n");
    for (guint i = 0; i < 3; i++)
      {
        g_usleep (100 * 1000);
        raw_sendf (raw, "X-%u: 1\r\n", i);
      }
    g_assert_true (raw_closed (raw));
  }
  {
    /* A body that stalls. */
    g_autoptr(Raw) raw = raw_connect_to (quick);
    raw_sendf (raw, "POST /auth/login HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n{\"em");
    g_assert_true (raw_closed (raw));
  }
  {
    /* An idle keep-alive connection, after a reply. */
    g_autoptr(Raw) raw = raw_connect_to (quick);
    raw_sendf (raw, GET_VERSION);
    g_autoptr(RawResponse) r = raw_read (raw, FALSE);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_true (raw_closed (raw));
  }
  /* Each was closed by its timeout, not by the client's 20 s one. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
  th_server_stop (quick);
}

/* A tus upload on one connection: creation by the front end, then PATCH
 * (a streamed body) handed to libsoup with the bytes already read. */
static char *
upload_video (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = th_media_make (media_dir, TH_MEDIA_WEBM_VP8_OPUS);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, &error));

  g_autofree char *g64 = g_base64_encode ((const guchar *) group_id, strlen (group_id));
  g_autoptr(Raw) raw = raw_connect ();
  raw_sendf (raw, GET_VERSION);
  g_autoptr(RawResponse) v = raw_read (raw, FALSE);
  g_assert_true (from_front_end (v));

  raw_sendf (raw, "POST /uploads HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\nTus-Resumable: 1.0.0\r\n"
                  "Upload-Length: %zu\r\nUpload-Metadata: group_id %s,filename cnVuLndlYm0=,name UnVu\r\n"
                  "Content-Length: 0\r\n\r\n", admin, len, g64);
  g_autoptr(RawResponse) created = raw_read (raw, FALSE);
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_true (from_front_end (created));
  g_assert_cmpstr (raw_header (created, "Tus-Resumable"), ==, "1.0.0");
  g_autofree char *upload = th_url_path (raw_header (created, "Location"));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (created->body, NULL),
                                             (gssize) g_bytes_get_size (created->body), &error));
  JsonObject *asset = json_node_get_object (json_parser_get_root (parser));
  JsonObject *video = json_array_get_object_element (json_object_get_array_member (asset, "videos"), 0);
  char *video_id = g_strdup (json_object_get_string_member (video, "id"));

  /* The PATCH head and the first half of its body in one write, the rest
   * later: libsoup must see every byte. */
  g_autofree char *head = g_strdup_printf (
    "PATCH %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\nTus-Resumable: 1.0.0\r\n"
    "Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: %zu\r\n\r\n",
    upload, admin, len);
  g_autoptr(GByteArray) first = g_byte_array_new ();
  g_byte_array_append (first, (const guint8 *) head, (guint) strlen (head));
  g_byte_array_append (first, (const guint8 *) data, (guint) (len / 2));
  raw_send (raw, first->data, first->len);
  g_usleep (50 * 1000);
  raw_send (raw, data + len / 2, len - len / 2);
  g_autoptr(RawResponse) patched = raw_read (raw, FALSE);
  g_assert_cmpuint (patched->status, ==, 204);
  g_assert_true (from_libsoup (patched));
  g_assert_cmpint (g_ascii_strtoll (raw_header (patched, "Upload-Offset"), NULL, 10), ==, (gint64) len);

  /* libsoup ends a connection after a 204 (it takes a reply without
   * Content-Length to end at EOF), so the next request needs another. */
  g_assert_true (raw_closed (raw));
  return video_id;
}

static void
test_handoff_upload_and_stream (void)
{
  g_autofree char *video = upload_video ();

  /* Processed by the media worker. */
  g_autofree char *path = g_strdup_printf ("/videos/%s", video);
  sd_server_kick_media_jobs (ts->server);
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(ThResponse) r = th_request (ts, "GET", path, admin, NULL);
      g_assert_cmpuint (r->status, ==, 200);
      if (g_strcmp0 (th_json_str (r, "status"), "processing") != 0)
        {
          g_assert_cmpstr (th_json_str (r, "status"), ==, "ready");
          break;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100 * 1000);
    }

  /* Fast requests, then the streamed video with Range on the same
   * connection (handed over), then more requests on it. */
  g_autoptr(Raw) raw = raw_connect ();
  raw_sendf (raw, "GET %s/playback HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n", path, admin);
  g_autoptr(RawResponse) playback = raw_read (raw, FALSE);
  g_assert_cmpuint (playback->status, ==, 200);
  g_assert_true (from_front_end (playback));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (playback->body, NULL),
                                             (gssize) g_bytes_get_size (playback->body), NULL));
  const char *url = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "url");
  /* The path with the signature in its query. */
  g_assert_true (g_str_has_prefix (url, ts->url));
  const char *stream = url + strlen (ts->url);

  raw_sendf (raw, "GET %s HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9\r\n\r\n" GET_VERSION, stream);
  g_autoptr(RawResponse) part = raw_read (raw, FALSE);
  g_assert_cmpuint (part->status, ==, 206);
  g_assert_true (from_libsoup (part));
  g_assert_cmpuint (g_bytes_get_size (part->body), ==, 10);
  g_autoptr(RawResponse) after = raw_read (raw, FALSE);
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_true (from_libsoup (after));

  /* The thumbnail streams too. */
  g_autoptr(Raw) other = raw_connect ();
  raw_sendf (other, GET_VERSION "GET %s/thumbnail HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n",
             path, admin);
  g_autoptr(RawResponse) v = raw_read (other, FALSE);
  g_assert_true (from_front_end (v));
  g_autoptr(RawResponse) thumb = raw_read (other, FALSE);
  g_assert_cmpuint (thumb->status, ==, 200);
  g_assert_true (from_libsoup (thumb));
  g_assert_cmpstr (raw_header (thumb, "Content-Type"), ==, "image/jpeg");
}

/* An Upgrade request after fast ones goes to libsoup with its bytes
 * intact (libsoup's /ws handler refuses it without a call token: 401),
 * and so does a chunked body (411, as before). */
static void
test_handoff_upgrade_and_chunked (void)
{
  g_autoptr(Raw) raw = raw_connect ();
  raw_sendf (raw, GET_VERSION GET_VERSION
                  "GET /ws HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                  GET_VERSION);
  g_autoptr(RawResponse) a = raw_read (raw, FALSE);
  g_autoptr(RawResponse) b = raw_read (raw, FALSE);
  g_autoptr(RawResponse) ws = raw_read (raw, FALSE);
  g_autoptr(RawResponse) c = raw_read (raw, FALSE);
  g_assert_true (from_front_end (a) && from_front_end (b));
  g_assert_cmpuint (ws->status, ==, 401);
  g_assert_true (from_libsoup (ws));
  g_assert_cmpuint (c->status, ==, 200);
  g_assert_true (from_libsoup (c));

  g_autoptr(Raw) chunked = raw_connect ();
  raw_sendf (chunked, GET_VERSION "POST /auth/login HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "2\r\n{}\r\n0\r\n\r\n");
  g_autoptr(RawResponse) d = raw_read (chunked, FALSE);
  g_autoptr(RawResponse) e = raw_read (chunked, FALSE);
  g_assert_true (from_front_end (d));
  g_assert_cmpuint (e->status, ==, 411);
  g_assert_true (from_libsoup (e));
}

static void
soup_only (SdConfig *config,
           gpointer  data)
{
  config->http_frontend = SD_HTTP_FRONTEND_SOUP;
}

static void
test_frontend_soup (void)
{
  ThServer *plain = th_server_start_full (soup_only, NULL);
  g_autoptr(Raw) raw = raw_connect_to (plain);
  raw_sendf (raw, GET_VERSION GET_VERSION);
  g_autoptr(RawResponse) a = raw_read (raw, FALSE);
  g_autoptr(RawResponse) b = raw_read (raw, FALSE);
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_true (from_libsoup (a) && from_libsoup (b));
  th_server_stop (plain);
}

int
main (int    argc,
      char **argv)
{
  th_init (&argc, &argv);
  gst_init (NULL, NULL);
  ts = th_server_start_full (fast_frontend, NULL);
  media_dir = g_dir_make_tmp ("tandem-http1-XXXXXX", NULL);
  admin = th_register_admin (ts, "admin@http1.test", "Pipes", NULL);
  {
    g_autoptr(ThResponse) g = th_request (ts, "POST", "/groups", admin, "{\"name\":\"Pipes\"}");
    g_assert_cmpuint (g->status, ==, 201);
    group_id = g_strdup (th_json_str (g, "id"));
  }

  g_test_add_func ("/http1/keep-alive", test_keep_alive);
  g_test_add_func ("/http1/pipelining", test_pipelining);
  g_test_add_func ("/http1/connection-close", test_connection_close);
  g_test_add_func ("/http1/limits", test_limits);
  g_test_add_func ("/http1/backpressure", test_backpressure);
  g_test_add_func ("/http1/slow-client", test_slow_client);
  g_test_add_func ("/http1/timeouts", test_timeouts);
  g_test_add_func ("/http1/handoff/upload-and-stream", test_handoff_upload_and_stream);
  g_test_add_func ("/http1/handoff/upgrade-and-chunked", test_handoff_upgrade_and_chunked);
  g_test_add_func ("/http1/frontend-soup", test_frontend_soup);
  int rc = g_test_run ();

  th_server_stop (ts);
  g_free (admin);
  g_free (group_id);
  g_free (media_dir);
  return rc;
}
