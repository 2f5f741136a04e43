/* tc-tus.c — the tus 1.0 client: requests (HEAD, PATCH, POST, DELETE with
 * Tus-Resumable), the chunk loop with checksums, retries and the rate
 * limit, progress with a smoothed rate, and the threaded async form. */
#define G_LOG_DOMAIN "tc-tus"

#include "tc-tus.h"

#include "tandem-error.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#define TUS_VERSION "1.0.0"
#define MAX_DELAY_MS 30000
#define DEFAULT_MAX_FAILURES 8
#define DEFAULT_FIRST_DELAY_MS 500
#define TIMEOUT_S 60
/* Progress callbacks while a chunk goes out: at most one per this many µs. */
#define PROGRESS_INTERVAL_US (100 * 1000)
/* The rate is re-estimated at most this often. */
#define RATE_SAMPLE_US (500 * 1000)

struct _TcTusClient
{
  GObject parent_instance;

  char *base_url;
  GUri *base;
  char *token;
  SoupSession *session;
  gsize chunk_size;
  guint64 rate_limit;
  guint max_failures;
  guint first_delay_ms;
};

G_DEFINE_FINAL_TYPE (TcTusClient, tc_tus_client, G_TYPE_OBJECT)

/* ---- small helpers ---- */

static void
wipe_string (char *text)
{
  if (text == NULL)
    return;
  explicit_bzero (text, strlen (text));
  g_free (text);
}

/* Sleeps @ms unless @cancellable fires first; FALSE (with @error) then. */
static gboolean
sleep_cancellable (guint          ms,
                   GCancellable  *cancellable,
                   GError       **error)
{
  GPollFD fd;

  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &fd))
    {
      gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
      gint64 left;
      while (!g_cancellable_is_cancelled (cancellable) &&
             (left = end - g_get_monotonic_time ()) > 0)
        g_poll (&fd, 1, (int) ((left + 999) / 1000));
      g_cancellable_release_fd (cancellable);
    }
  else
    g_usleep ((gulong) ms * 1000);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

char *
tc_tus_client_resolve (TcTusClient *self,
                       const char  *url)
{
  g_return_val_if_fail (TC_IS_TUS_CLIENT (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  /* A relative URL continues the server's path ("/uploads/ID" under
   * "http://host/prefix" is "http://host/prefix/uploads/ID"). */
  g_autofree char *absolute = url[0] == '/' && url[1] != '/'
                              ? g_strconcat (self->base_url, url, NULL)
                              : g_strdup (url);
  g_autoptr(GUri) uri = g_uri_parse (absolute, SOUP_HTTP_URI_FLAGS | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;
  return g_uri_to_string (uri);
}

/* ---- requests ---- */

/* A message for @method on @url with the tus header, and the token when
 * @url is on the server's origin; NULL with @error for a bad URL. */
static SoupMessage *
new_message (TcTusClient  *self,
             const char   *method,
             const char   *url,
             GError      **error)
{
  g_autofree char *absolute = tc_tus_client_resolve (self, url);
  g_autoptr(GUri) uri = absolute != NULL
                        ? g_uri_parse (absolute, SOUP_HTTP_URI_FLAGS | G_URI_FLAGS_SCHEME_NORMALIZE, NULL)
                        : NULL;
  if (uri == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, _("“%s” is not an upload address"), url);
      return NULL;
    }

  SoupMessage *msg = soup_message_new_from_uri (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (headers, "Tus-Resumable", TUS_VERSION);
  if (self->token != NULL && same_origin (uri, self->base))
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
      explicit_bzero (auth, strlen (auth));
    }
  return msg;
}

/* Sends @msg; the reply body, or NULL with TANDEM_ERROR_NETWORK (or the
 * cancellation) when no reply came. */
static GBytes *
send_message (TcTusClient   *self,
              SoupMessage   *msg,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GBytes *body = soup_session_send_and_read (self->session, msg, cancellable, &local_error);

  if (body != NULL)
    return body;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NETWORK, _("cannot reach the server at %s: %s"),
                 self->base_url, local_error->message);
  return NULL;
}

/* The error for a reply with a status that is not the expected one: the
 * server's own {"error":{"code","message"}} when it sent one. */
static GError *
status_error (SoupMessage *msg,
              GBytes      *body)
{
  guint status = soup_message_get_status (msg);
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (len > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, data, (gssize) len, NULL))
        {
          JsonNode *root = json_parser_get_root (parser);
          JsonObject *envelope = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
                                 ? json_object_get_object_member (json_node_get_object (root), "error")
                                 : NULL;
          const char *code = envelope != NULL ? json_object_get_string_member_with_default (envelope, "code", NULL)
                                              : NULL;
          const char *message = envelope != NULL
                                ? json_object_get_string_member_with_default (envelope, "message", NULL)
                                : NULL;
          if (message != NULL)
            return g_error_new_literal (TANDEM_ERROR, tandem_error_code_from_name (code, status), message);
        }
    }
  if (status == 404 || status == 410)
    return g_error_new (TANDEM_ERROR, TANDEM_ERROR_GONE, _("the upload is no longer on the server"));
  if (status >= 300 && status < 400)
    return g_error_new (TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, _("the upload server redirects; refusing to follow"));
  return g_error_new (TANDEM_ERROR, tandem_error_code_from_name (NULL, status),
                      _("the upload server answered “%u %s”"), status,
                      soup_message_get_reason_phrase (msg) != NULL ? soup_message_get_reason_phrase (msg) : "");
}

/* Reads a non-negative integer header; FALSE when absent or malformed. */
static gboolean
header_uint64 (SoupMessage *msg,
               const char  *name,
               guint64     *value)
{
  const char *text = soup_message_headers_get_one (soup_message_get_response_headers (msg), name);
  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, value, NULL);
}

/* ---- creation, offset, termination ---- */

static void
append_metadata (gpointer key,
                 gpointer value,
                 gpointer user_data)
{
  GString *header = user_data;
  g_autofree char *encoded = g_base64_encode ((const guchar *) value, strlen (value));
  g_string_append_printf (header, "%s%s %s", header->len > 0 ? "," : "", (const char *) key, encoded);
}

char *
tc_tus_client_create (TcTusClient   *self,
                      const char    *endpoint,
                      guint64        length,
                      GHashTable    *metadata,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (TC_IS_TUS_CLIENT (self), NULL);
  g_return_val_if_fail (endpoint != NULL, NULL);

  g_autoptr(SoupMessage) msg = new_message (self, "POST", endpoint, error);
  if (msg == NULL)
    return NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autofree char *length_text = g_strdup_printf ("%" G_GUINT64_FORMAT, length);
  soup_message_headers_replace (headers, "Upload-Length", length_text);
  if (metadata != NULL && g_hash_table_size (metadata) > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_hash_table_foreach (metadata, append_metadata, text);
      soup_message_headers_replace (headers, "Upload-Metadata", text->str);
    }

  g_autoptr(GBytes) body = send_message (self, msg, cancellable, error);
  if (body == NULL)
    return NULL;
  if (soup_message_get_status (msg) != SOUP_STATUS_CREATED)
    {
      g_propagate_error (error, status_error (msg, body));
      return NULL;
    }

  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_autoptr(GUri) base = g_uri_parse (endpoint[0] == '/' ? self->base_url : endpoint, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GUri) resolved = location != NULL && base != NULL
                             ? g_uri_parse_relative (base, location, SOUP_HTTP_URI_FLAGS, NULL)
                             : NULL;
  if (resolved == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                   _("the upload server created an upload without saying where it is"));
      return NULL;
    }
  return g_uri_to_string (resolved);
}

gboolean
tc_tus_client_get_offset (TcTusClient   *self,
                          const char    *url,
                          guint64       *offset,
                          gint64        *length,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (TC_IS_TUS_CLIENT (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  g_autoptr(SoupMessage) msg = new_message (self, "HEAD", url, error);
  if (msg == NULL)
    return FALSE;
  g_autoptr(GBytes) body = send_message (self, msg, cancellable, error);
  if (body == NULL)
    return FALSE;

  guint status = soup_message_get_status (msg);
  guint64 server_offset = 0;
  guint64 server_length = 0;
  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_NO_CONTENT)
    {
      g_propagate_error (error, status_error (msg, body));
      return FALSE;
    }
  if (!header_uint64 (msg, "Upload-Offset", &server_offset))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                   _("the upload server did not say how much it has (no Upload-Offset)"));
      return FALSE;
    }
  gboolean known = header_uint64 (msg, "Upload-Length", &server_length);
  if (known && server_offset > server_length)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                   _("the upload server claims more bytes than the upload holds"));
      return FALSE;
    }
  if (offset != NULL)
    *offset = server_offset;
  if (length != NULL)
    *length = known ? (gint64) server_length : -1;
  return TRUE;
}

gboolean
tc_tus_client_terminate (TcTusClient   *self,
                         const char    *url,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (TC_IS_TUS_CLIENT (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  g_autoptr(SoupMessage) msg = new_message (self, "DELETE", url, error);
  if (msg == NULL)
    return FALSE;
  g_autoptr(GBytes) body = send_message (self, msg, cancellable, error);
  if (body == NULL)
    return FALSE;
  if (soup_message_get_status (msg) != SOUP_STATUS_NO_CONTENT && soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_propagate_error (error, status_error (msg, body));
      return FALSE;
    }
  return TRUE;
}

/* ---- one file ---- */

/* What the chunk loop knows while it runs. */
typedef struct {
  TcTusClient *self;
  TcTusProgressFunc progress;
  gpointer progress_data;
  TcTusProgress state;
  guint64 acknowledged;       /* the server's offset */
  gint64 last_emit_us;
  /* rate */
  gint64 sample_us;
  guint64 sample_bytes;
  /* rate limit: bytes sent in this run since started_us */
  gint64 started_us;
  guint64 first_offset;       /* where the server stood at the first HEAD */
  gboolean started;
  guint64 sent;
} Run;

static void
run_update (Run      *run,
            guint64   offset,
            gboolean  force)
{
  gint64 now = g_get_monotonic_time ();

  run->state.offset = offset;
  if (run->sample_us == 0 || offset < run->sample_bytes)
    {
      run->sample_us = now;
      run->sample_bytes = offset;
    }
  else if (now - run->sample_us >= RATE_SAMPLE_US)
    {
      double seconds = (double) (now - run->sample_us) / G_USEC_PER_SEC;
      double rate = (double) (offset - run->sample_bytes) / seconds;
      run->state.rate = run->state.rate <= 0 ? rate : 0.6 * run->state.rate + 0.4 * rate;
      run->sample_us = now;
      run->sample_bytes = offset;
    }
  /* Before the first sample, the average so far (short uploads). */
  if (run->state.rate <= 0 && now - run->started_us >= RATE_SAMPLE_US / 10 && offset > run->first_offset)
    run->state.rate = (double) (offset - run->first_offset) * G_USEC_PER_SEC / (double) (now - run->started_us);
  run->state.eta_seconds = run->state.rate > 0
                           ? (gint64) ((double) (run->state.length - offset) / run->state.rate + 0.5)
                           : -1;
  if (offset >= run->state.length)
    run->state.eta_seconds = 0;

  if (run->progress != NULL && (force || now - run->last_emit_us >= PROGRESS_INTERVAL_US))
    {
      run->last_emit_us = now;
      run->progress (&run->state, run->progress_data);
    }
}

typedef struct {
  Run *run;
  guint64 base;     /* the chunk's offset */
  guint64 length;   /* the chunk's size */
  guint64 written;  /* of it, on the wire */
} WireCount;

static void
wrote_body_data_cb (SoupMessage *msg,
                    guint        chunk_size,
                    gpointer     user_data)
{
  WireCount *count = user_data;
  count->written = MIN (count->written + chunk_size, count->length);
  run_update (count->run, count->base + count->written, FALSE);
}

/* libsoup sends the message again (a kept-alive connection had closed). */
static void
restarted_cb (SoupMessage *msg,
              gpointer     user_data)
{
  WireCount *count = user_data;
  count->written = 0;
}

/* What became of one PATCH. */
typedef enum {
  PATCH_OK,         /* *offset moved on */
  PATCH_RETRY,      /* try again after a pause and a HEAD */
  PATCH_TOO_LARGE,  /* the server wants smaller chunks */
  PATCH_FATAL,
} PatchResult;

static PatchResult
patch_chunk (Run           *run,
             const char    *url,
             GBytes        *chunk,
             guint64       *offset,
             GCancellable  *cancellable,
             GError       **error)
{
  TcTusClient *self = run->self;
  g_autoptr(SoupMessage) msg = new_message (self, "PATCH", url, error);
  if (msg == NULL)
    return PATCH_FATAL;

  gsize len = 0;
  const guchar *data = g_bytes_get_data (chunk, &len);
  guchar digest[20];
  gsize digest_len = sizeof digest;
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_checksum_update (sha1, data, len);
  g_checksum_get_digest (sha1, digest, &digest_len);
  g_autofree char *digest64 = g_base64_encode (digest, digest_len);
  g_autofree char *checksum = g_strconcat ("sha1 ", digest64, NULL);
  g_autofree char *offset_text = g_strdup_printf ("%" G_GUINT64_FORMAT, *offset);

  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Upload-Offset", offset_text);
  soup_message_headers_replace (headers, "Upload-Checksum", checksum);
  soup_message_set_request_body_from_bytes (msg, "application/offset+octet-stream", chunk);

  WireCount count = { run, *offset, len, 0 };
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), &count);
  g_signal_connect (msg, "restarted", G_CALLBACK (restarted_cb), &count);
  g_autoptr(GBytes) body = send_message (self, msg, cancellable, error);
  g_signal_handlers_disconnect_by_data (msg, &count);
  if (body == NULL)
    return g_error_matches (*error, TANDEM_ERROR, TANDEM_ERROR_NETWORK) ? PATCH_RETRY : PATCH_FATAL;

  guint status = soup_message_get_status (msg);
  guint64 new_offset = 0;
  if (status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_OK)
    {
      if (!header_uint64 (msg, "Upload-Offset", &new_offset) || new_offset < *offset ||
          new_offset > *offset + len)
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                       _("the upload server answered a chunk with a wrong Upload-Offset"));
          return PATCH_FATAL;
        }
      *offset = new_offset;
      return PATCH_OK;
    }

  g_propagate_error (error, status_error (msg, body));
  switch (status)
    {
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      /* Either this chunk is too large for the server, or the file is over
       * a limit; only smaller chunks can tell. */
      return len > TC_TUS_MIN_CHUNK_SIZE ? PATCH_TOO_LARGE : PATCH_FATAL;
    case SOUP_STATUS_CONFLICT:     /* our offset is stale */
    case 423:                      /* Locked: an earlier PATCH is still being stored */
    case 460:                      /* checksum mismatch: the bytes got damaged */
    case SOUP_STATUS_REQUEST_TIMEOUT:
    case 429:                      /* Too Many Requests */
      return PATCH_RETRY;
    default:
      return status >= 500 && status != 507 ? PATCH_RETRY : PATCH_FATAL;
    }
}

/* Reads up to @want bytes at @offset of @stream. */
static GBytes *
read_chunk (GFileInputStream  *stream,
            guint64            offset,
            gsize              want,
            GCancellable      *cancellable,
            GError           **error)
{
  if (!g_seekable_seek (G_SEEKABLE (stream), (goffset) offset, G_SEEK_SET, cancellable, error))
    return NULL;
  guchar *buffer = g_malloc (want);
  gsize got = 0;
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, want, &got, cancellable, error))
    {
      g_free (buffer);
      return NULL;
    }
  return g_bytes_new_take (buffer, got);
}

/* The wait before retry number @failure (1, 2, …). */
static guint
backoff_ms (TcTusClient *self,
            guint        failure)
{
  guint64 delay = self->first_delay_ms;
  for (guint i = 1; i < failure && delay < MAX_DELAY_MS; i++)
    delay *= 2;
  return (guint) MIN (delay, MAX_DELAY_MS);
}

gboolean
tc_tus_client_upload_file (TcTusClient        *self,
                           const char         *url,
                           const char         *path,
                           TcTusProgressFunc   progress,
                           gpointer            progress_data,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_return_val_if_fail (TC_IS_TUS_CLIENT (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;
  g_autoptr(GFileInfo) info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                              cancellable, error);
  if (info == NULL)
    return FALSE;
  guint64 file_size = (guint64) g_file_info_get_size (info);

  Run run = { .self = self, .progress = progress, .progress_data = progress_data };
  run.state.length = file_size;
  run.state.eta_seconds = -1;
  run.started_us = g_get_monotonic_time ();

  gsize chunk_size = self->chunk_size;
  guint failures = 0;
  gboolean need_head = TRUE;
  guint64 offset = 0;
  g_autofree char *reason = NULL;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      PatchResult result;

      if (need_head)
        {
          gint64 length = -1;
          if (tc_tus_client_get_offset (self, url, &offset, &length, cancellable, &local_error))
            {
              if (length >= 0 && (guint64) length != file_size)
                {
                  g_autofree char *have = g_strdup_printf ("%" G_GUINT64_FORMAT, file_size);
                  g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT, length);
                  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT,
                               _("%s has %s bytes, but its upload expects %s"), path, have, want);
                  return FALSE;
                }
              need_head = FALSE;
              run.acknowledged = offset;
              if (!run.started)
                {
                  run.started = TRUE;
                  run.first_offset = offset;
                  run.started_us = g_get_monotonic_time ();
                }
              run_update (&run, offset, TRUE);
              if (offset == file_size)
                return TRUE;
              continue;
            }
          result = g_error_matches (local_error, TANDEM_ERROR, TANDEM_ERROR_NETWORK) ||
                   g_error_matches (local_error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL) ||
                   g_error_matches (local_error, TANDEM_ERROR, TANDEM_ERROR_UNAVAILABLE)
                   ? PATCH_RETRY : PATCH_FATAL;
        }
      else
        {
          gsize want = (gsize) MIN ((guint64) chunk_size, file_size - offset);
          /* Under a rate limit, chunks of a quarter second keep the pace even. */
          if (self->rate_limit > 0)
            want = (gsize) MIN ((guint64) want, MAX (self->rate_limit / 4, 1024));
          g_autoptr(GBytes) chunk = read_chunk (stream, offset, want, cancellable, error);
          if (chunk == NULL)
            return FALSE;
          if (g_bytes_get_size (chunk) < want)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("%s became shorter during the upload"), path);
              return FALSE;
            }

          guint64 before = offset;
          result = patch_chunk (&run, url, chunk, &offset, cancellable, &local_error);
          if (result == PATCH_OK)
            {
              run.sent += offset - before;
              run.acknowledged = offset;
              if (offset > before)
                failures = 0;
              run.state.retry = 0;
              run.state.retry_reason = NULL;
              run_update (&run, offset, TRUE);
              if (offset == file_size)
                return TRUE;
              if (self->rate_limit > 0)
                {
                  /* Pause until the average falls back to the limit. */
                  gint64 due = run.started_us + (gint64) (run.sent * G_USEC_PER_SEC / self->rate_limit);
                  gint64 wait = due - g_get_monotonic_time ();
                  if (wait > 0 && !sleep_cancellable ((guint) (wait / 1000), cancellable, error))
                    return FALSE;
                }
              continue;
            }
        }

      switch (result)
        {
        case PATCH_TOO_LARGE:
          chunk_size = MAX (chunk_size / 2, TC_TUS_MIN_CHUNK_SIZE);
          g_debug ("server refused the chunk size; now %zu bytes", chunk_size);
          continue;
        case PATCH_RETRY:
          if (++failures > self->max_failures)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_free (reason);
          reason = g_strdup (local_error->message);
          run.state.retry = failures;
          run.state.retry_reason = reason;
          run_update (&run, run.acknowledged, TRUE);
          g_debug ("upload attempt failed (%s); retry %u", reason, failures);
          if (!sleep_cancellable (backoff_ms (self, failures), cancellable, error))
            return FALSE;
          need_head = TRUE;
          continue;
        case PATCH_FATAL:
        case PATCH_OK:
        default:
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
}

/* ---- async ---- */

typedef struct {
  char *url;
  char *path;
  TcTusProgressFunc progress;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
  GMainContext *context;
  GMutex lock;
  TcTusProgress latest;   /* retry_reason copied into reason */
  char *reason;
  gboolean scheduled;
  gint64 last_schedule_us;
} AsyncUpload;

static void
async_upload_clear (AsyncUpload *upload)
{
  if (upload->progress_destroy != NULL)
    upload->progress_destroy (upload->progress_data);
  g_main_context_unref (upload->context);
  g_mutex_clear (&upload->lock);
  g_free (upload->url);
  g_free (upload->path);
  g_free (upload->reason);
}

static AsyncUpload *
async_upload_ref (AsyncUpload *upload)
{
  return g_atomic_rc_box_acquire (upload);
}

static void
async_upload_unref (AsyncUpload *upload)
{
  g_atomic_rc_box_release_full (upload, (GDestroyNotify) async_upload_clear);
}

/* Runs in the caller's context: hands the latest state to the callback. */
static gboolean
emit_progress_cb (gpointer user_data)
{
  AsyncUpload *upload = user_data;
  TcTusProgress copy;
  g_autofree char *reason = NULL;

  g_mutex_lock (&upload->lock);
  copy = upload->latest;
  reason = g_strdup (upload->reason);
  upload->scheduled = FALSE;
  g_mutex_unlock (&upload->lock);

  copy.retry_reason = reason;
  upload->progress (&copy, upload->progress_data);
  return G_SOURCE_REMOVE;
}

static void
schedule_progress (AsyncUpload *upload,
                   gboolean     force)
{
  gint64 now = g_get_monotonic_time ();

  if (upload->scheduled || (!force && now - upload->last_schedule_us < PROGRESS_INTERVAL_US))
    return;
  upload->scheduled = TRUE;
  upload->last_schedule_us = now;
  /* High priority, so that the last progress arrives before the result. */
  GSource *source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, emit_progress_cb, async_upload_ref (upload),
                         (GDestroyNotify) async_upload_unref);
  g_source_set_static_name (source, "[tc-tus] progress");
  g_source_attach (source, upload->context);
  g_source_unref (source);
}

/* Runs on the worker thread. */
static void
worker_progress_cb (const TcTusProgress *progress,
                    gpointer             user_data)
{
  AsyncUpload *upload = user_data;

  g_mutex_lock (&upload->lock);
  upload->latest = *progress;
  if (g_strcmp0 (upload->reason, progress->retry_reason) != 0)
    {
      g_free (upload->reason);
      upload->reason = g_strdup (progress->retry_reason);
    }
  upload->latest.retry_reason = NULL;
  schedule_progress (upload, progress->retry > 0 || progress->offset >= progress->length);
  g_mutex_unlock (&upload->lock);
}

static void
upload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TcTusClient *self = source_object;
  AsyncUpload *upload = task_data;
  g_autoptr(GError) error = NULL;

  gboolean ok = tc_tus_client_upload_file (self, upload->url, upload->path,
                                           upload->progress != NULL ? worker_progress_cb : NULL, upload,
                                           cancellable, &error);
  if (upload->progress != NULL)
    {
      g_mutex_lock (&upload->lock);
      upload->scheduled = FALSE;  /* a pending one shows the same state; one more is fine */
      schedule_progress (upload, TRUE);
      g_mutex_unlock (&upload->lock);
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
tc_tus_client_upload_file_async (TcTusClient         *self,
                                 const char          *url,
                                 const char          *path,
                                 TcTusProgressFunc    progress,
                                 gpointer             progress_data,
                                 GDestroyNotify       progress_destroy,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (TC_IS_TUS_CLIENT (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (path != NULL);

  AsyncUpload *upload = g_atomic_rc_box_new0 (AsyncUpload);
  upload->url = g_strdup (url);
  upload->path = g_strdup (path);
  upload->progress = progress;
  upload->progress_data = progress_data;
  upload->progress_destroy = progress_destroy;
  upload->context = g_main_context_ref_thread_default ();
  g_mutex_init (&upload->lock);

  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_tus_client_upload_file_async);
  g_task_set_task_data (task, upload, (GDestroyNotify) async_upload_unref);
  g_task_run_in_thread (task, upload_thread);
}

gboolean
tc_tus_client_upload_file_finish (TcTusClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (TC_IS_TUS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_tus_client_upload_file_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- object ---- */

TcTusClient *
tc_tus_client_new (TandemApiClient *api)
{
  g_return_val_if_fail (TANDEM_IS_API_CLIENT (api), NULL);

  TcTusClient *self = g_object_new (TC_TYPE_TUS_CLIENT, NULL);
  self->base_url = g_strdup (tandem_api_client_get_base_url (api));
  self->base = g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  g_assert (self->base != NULL);  /* the API client holds a canonical URL */
  self->token = g_strdup (tandem_api_client_get_token (api));
  return self;
}

void
tc_tus_client_set_chunk_size (TcTusClient *self,
                              gsize        bytes)
{
  g_return_if_fail (TC_IS_TUS_CLIENT (self));
  self->chunk_size = MAX (bytes, TC_TUS_MIN_CHUNK_SIZE);
}

void
tc_tus_client_set_rate_limit (TcTusClient *self,
                              guint64      bytes_per_second)
{
  g_return_if_fail (TC_IS_TUS_CLIENT (self));
  self->rate_limit = bytes_per_second;
}

void
tc_tus_client_set_retry (TcTusClient *self,
                         guint        max_failures,
                         guint        first_delay_ms)
{
  g_return_if_fail (TC_IS_TUS_CLIENT (self));
  self->max_failures = max_failures;
  self->first_delay_ms = MAX (first_delay_ms, 1);
}

static void
tc_tus_client_finalize (GObject *object)
{
  TcTusClient *self = TC_TUS_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->token, wipe_string);
  g_clear_pointer (&self->base, g_uri_unref);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (tc_tus_client_parent_class)->finalize (object);
}

static void
tc_tus_client_class_init (TcTusClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_tus_client_finalize;
}

static void
tc_tus_client_init (TcTusClient *self)
{
  self->chunk_size = TC_TUS_DEFAULT_CHUNK_SIZE;
  self->max_failures = DEFAULT_MAX_FAILURES;
  self->first_delay_ms = DEFAULT_FIRST_DELAY_MS;
  self->session = soup_session_new_with_options ("timeout", TIMEOUT_S,
                                                 "user-agent", "tandem/" PACKAGE_VERSION " ",
                                                 NULL);
}
