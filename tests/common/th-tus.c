/* th-tus.c — tus requests, cut connections, data and database checks for
 * the upload and asset tests. */
#include "th-tus.h"
#include "th-json.h"

#include <gio/gio.h>
#include <string.h>

ThResponse *
th_tus_request (ThServer   *ts,
                const char *method,
                const char *target,
                const char *token,
                GBytes     *body,
                ...)
{
  g_autofree char *uri = g_str_has_prefix (target, "http") ? g_strdup (target)
                                                           : g_strconcat (ts->url, target, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  g_assert_nonnull (msg);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Tus-Resumable", "1.0.0");
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  const char *content_type = "application/offset+octet-stream";
  va_list args;
  va_start (args, body);
  for (const char *name = va_arg (args, const char *); name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        content_type = value;
      else if (value == NULL)
        soup_message_headers_remove (headers, name);
      else
        soup_message_headers_replace (headers, name, value);
    }
  va_end (args);
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

const char *
th_header (ThResponse *r,
           const char *name)
{
  return soup_message_headers_get_one (r->headers, name);
}

gint64
th_header_int (ThResponse *r,
               const char *name)
{
  const char *v = th_header (r, name);
  gint64 n = -1;
  if (v == NULL || !g_ascii_string_to_signed (v, 10, 0, G_MAXINT64, &n, NULL))
    return -1;
  return n;
}

gint64
th_tus_offset (ThServer   *ts,
               const char *upload,
               const char *token)
{
  g_autoptr(ThResponse) r = th_tus_request (ts, "HEAD", upload, token, NULL, NULL);
  if (r->status != 200)
    return -(gint64) r->status;
  g_assert_cmpstr (th_header (r, "Tus-Resumable"), ==, "1.0.0");
  return th_header_int (r, "Upload-Offset");
}

ThResponse *
th_tus_patch (ThServer   *ts,
              const char *upload,
              const char *token,
              gint64      offset,
              GBytes     *chunk,
              const char *checksum)
{
  char off[32];
  g_snprintf (off, sizeof off, "%" G_GINT64_FORMAT, offset);
  if (checksum != NULL)
    return th_tus_request (ts, "PATCH", upload, token, chunk, "Upload-Offset", off,
                           "Upload-Checksum", checksum, NULL);
  return th_tus_request (ts, "PATCH", upload, token, chunk, "Upload-Offset", off, NULL);
}

void
th_tus_upload_rest (ThServer   *ts,
                    const char *upload,
                    const char *token,
                    GBytes     *data,
                    gsize       piece)
{
  gint64 offset = th_tus_offset (ts, upload, token);
  gsize size = g_bytes_get_size (data);
  g_assert_cmpint (offset, >=, 0);
  while ((gsize) offset < size)
    {
      gsize n = MIN (piece, size - (gsize) offset);
      g_autoptr(GBytes) chunk = g_bytes_new_from_bytes (data, (gsize) offset, n);
      g_autoptr(ThResponse) r = th_tus_patch (ts, upload, token, offset, chunk, NULL);
      if (r->status != 204)
        g_error ("PATCH at %" G_GINT64_FORMAT ": %u %.*s", offset, r->status,
                 (int) g_bytes_get_size (r->body), (const char *) g_bytes_get_data (r->body, NULL));
      g_assert_cmpint (th_header_int (r, "Upload-Offset"), ==, offset + (gint64) n);
      offset += (gint64) n;
    }
}

char *
th_tus_checksum (const char *algorithm,
                 GBytes     *data)
{
  GChecksumType type = G_CHECKSUM_SHA256;
  if (g_str_equal (algorithm, "sha1"))
    type = G_CHECKSUM_SHA1;
  else if (g_str_equal (algorithm, "sha512"))
    type = G_CHECKSUM_SHA512;
  else if (g_str_equal (algorithm, "md5"))
    type = G_CHECKSUM_MD5;
  g_autoptr(GChecksum) sum = g_checksum_new (type);
  gsize size = 0;
  const guchar *p = g_bytes_get_data (data, &size);
  g_checksum_update (sum, p, (gssize) size);
  guint8 digest[64];
  gsize len = sizeof digest;
  g_checksum_get_digest (sum, digest, &len);
  g_autofree char *b64 = g_base64_encode (digest, len);
  return g_strdup_printf ("%s %s", algorithm, b64);
}

char *
th_url_path (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  return g_strdup (g_uri_get_path (uri));
}

static GIOStream *
raw_patch (ThServer   *ts,
           const char *upload,
           const char *token,
           gint64      offset,
           GBytes     *data,
           gsize       send,
           const char *checksum)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_uri (client, ts->url, 80, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *path = g_str_has_prefix (upload, "http") ? th_url_path (upload) : g_strdup (upload);
  g_autofree char *checksum_line = checksum != NULL ? g_strdup_printf ("Upload-Checksum: %s\r\n", checksum)
                                                    : g_strdup ("");
  g_autofree char *head = g_strdup_printf (
    "PATCH %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nTus-Resumable: 1.0.0\r\n"
    "Content-Type: application/offset+octet-stream\r\nUpload-Offset: %" G_GINT64_FORMAT "\r\n"
    "%sContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
    path, token, offset, checksum_line, g_bytes_get_size (data));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, g_bytes_get_data (data, NULL), send, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (out, NULL, &error);
  g_assert_no_error (error);
  return G_IO_STREAM (g_steal_pointer (&conn));
}

void
th_tus_patch_cut (ThServer   *ts,
                  const char *upload,
                  const char *token,
                  gint64      offset,
                  GBytes     *data,
                  gsize       send,
                  const char *checksum)
{
  g_autoptr(GIOStream) conn = raw_patch (ts, upload, token, offset, data, send, checksum);
  g_io_stream_close (conn, NULL, NULL);
}

GIOStream *
th_tus_patch_hold (ThServer   *ts,
                   const char *upload,
                   const char *token,
                   gint64      offset,
                   GBytes     *data,
                   gsize       send)
{
  return raw_patch (ts, upload, token, offset, data, send, NULL);
}

gint64
th_tus_wait_offset (ThServer   *ts,
                    const char *upload,
                    const char *token,
                    gint64      offset,
                    guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  for (;;)
    {
      gint64 seen = th_tus_offset (ts, upload, token);
      if (seen == offset || g_get_monotonic_time () > deadline)
        return seen;
      g_usleep (20000);
    }
}

GBytes *
th_random_bytes (gsize   n,
                 guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint32 *words = g_malloc (n + 4);
  for (gsize i = 0; i < n / 4 + 1; i++)
    words[i] = g_rand_int (rand);
  return g_bytes_new_take (words, n);
}

char *
th_sha256_hex (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

char *
th_sha256_file (const char *path)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  if (file == NULL)
    return NULL;
  g_autoptr(GBytes) bytes = g_mapped_file_get_bytes (file);
  return th_sha256_hex (bytes);
}

static SdDbRows *
db_run (ThServer    *ts,
        const char  *org_id,
        SdDbTxKind   kind,
        const char  *sql,
        const char  *fmt,
        va_list      args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = sd_db_connect (sd_server_get_db (ts->server), &error);
  g_assert_no_error (error);
  sd_db_begin (conn, kind, org_id, &error);
  g_assert_no_error (error);
  SdDbRows *rows = sd_db_query_va (conn, &error, sql, fmt, args);
  g_assert_no_error (error);
  sd_db_commit (conn, &error);
  g_assert_no_error (error);
  return rows;
}

SdDbRows *
th_db_query (ThServer   *ts,
             const char *org_id,
             const char *sql,
             const char *fmt,
             ...)
{
  va_list args;
  va_start (args, fmt);
  SdDbRows *rows = db_run (ts, org_id, SD_DB_TX_READ, sql, fmt, args);
  va_end (args);
  return rows;
}

gint64
th_db_exec (ThServer   *ts,
            const char *org_id,
            const char *sql,
            const char *fmt,
            ...)
{
  g_autofree char *full = g_strconcat (sql, " RETURNING 1 AS changed", NULL);
  va_list args;
  va_start (args, fmt);
  g_autoptr(SdDbRows) rows = db_run (ts, org_id, SD_DB_TX_WRITE, full, fmt, args);
  va_end (args);
  return sd_db_rows_n (rows);
}

gint64
th_db_int (ThServer   *ts,
           const char *org_id,
           const char *sql,
           const char *fmt,
           ...)
{
  va_list args;
  va_start (args, fmt);
  g_autoptr(SdDbRows) rows = db_run (ts, org_id, SD_DB_TX_READ, sql, fmt, args);
  va_end (args);
  g_assert_cmpuint (sd_db_rows_n (rows), ==, 1);
  return sd_db_rows_int (rows, 0, "n");
}

char *
th_org_of (ThServer   *ts,
           const char *token)
{
  g_autoptr(ThResponse) r = th_request (ts, "GET", "/auth/me", token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (th_json_str (r, "organization_id"));
}
