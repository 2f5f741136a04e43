/* sd-api-stream.c — streaming a body: the response body does not keep
 * what it wrote (accumulate off); each time libsoup has written a piece
 * ("wrote-chunk") the next one is read asynchronously and appended.  When
 * libsoup finds the body empty (after the headers, or after a piece) it
 * pauses the message itself; the append then unpauses it.  One piece is
 * in flight at a time, so "starved" is known exactly. */
#define G_LOG_DOMAIN "sd-api-stream"

#include "api/sd-api-stream.h"

#include <string.h>

#define PIECE_BYTES (64 * 1024)

typedef struct {
  SoupServerMessage *msg;
  GInputStream *stream;
  GCancellable *cancellable;
  goffset remaining;
  gulong wrote_headers_id;
  gulong wrote_chunk_id;
  gulong finished_id;
  gboolean appended;         /* a piece was ever appended */
  gboolean starved;          /* libsoup ran out of body and paused the message */
  gboolean done;             /* finished, or failed */
} Streamer;

static Streamer *
streamer_ref (Streamer *s)
{
  return g_atomic_rc_box_acquire (s);
}

static void
streamer_clear (gpointer data)
{
  Streamer *s = data;
  g_clear_object (&s->stream);
  g_clear_object (&s->cancellable);
  g_clear_object (&s->msg);
}

static void
streamer_unref (Streamer *s)
{
  g_atomic_rc_box_release_full (s, streamer_clear);
}

/* Stops listening to the message and lets go of it. */
static void
streamer_finish (Streamer *s)
{
  if (s->done)
    return;
  s->done = TRUE;
  g_cancellable_cancel (s->cancellable);
  g_signal_handler_disconnect (s->msg, s->wrote_headers_id);
  g_signal_handler_disconnect (s->msg, s->wrote_chunk_id);
  g_signal_handler_disconnect (s->msg, s->finished_id);
  g_input_stream_close (s->stream, NULL, NULL);
  streamer_unref (s);   /* the message's reference */
}

static void read_next (Streamer *s);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Streamer *s = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (!s->done)
    {
      if (bytes == NULL || g_bytes_get_size (bytes) == 0)
        {
          /* The status is out already: all that is left is to hang up. */
          g_warning ("stream ended early: %s", error != NULL ? error->message : "end of file");
          SoupServerMessage *msg = g_object_ref (s->msg);
          streamer_finish (s);
          g_autoptr(GIOStream) conn = soup_server_message_steal_connection (msg);
          if (conn != NULL)
            g_io_stream_close (conn, NULL, NULL);
          g_object_unref (msg);
        }
      else
        {
          gsize n = MIN (g_bytes_get_size (bytes), (gsize) s->remaining);
          g_autoptr(GBytes) piece = g_bytes_new_from_bytes (bytes, 0, n);
          s->remaining -= (goffset) n;
          SoupMessageBody *body = soup_server_message_get_response_body (s->msg);
          soup_message_body_append_bytes (body, piece);
          s->appended = TRUE;
          if (s->remaining == 0)
            soup_message_body_complete (body);
          if (s->starved)
            {
              s->starved = FALSE;
              soup_server_message_unpause (s->msg);
            }
        }
    }
  streamer_unref (s);   /* the read's reference */
}

static void
read_next (Streamer *s)
{
  if (s->done || s->remaining <= 0)
    return;
  g_input_stream_read_bytes_async (s->stream, (gsize) MIN (s->remaining, (goffset) PIECE_BYTES),
                                   G_PRIORITY_DEFAULT, s->cancellable, on_read, streamer_ref (s));
}

static void
on_wrote_headers (SoupServerMessage *msg,
                  gpointer           data)
{
  Streamer *s = data;
  if (!s->appended)
    s->starved = TRUE;
}

static void
on_wrote_chunk (SoupServerMessage *msg,
                gpointer           data)
{
  Streamer *s = data;
  s->starved = s->remaining > 0;
  read_next (s);
}

static void
on_finished (SoupServerMessage *msg,
             gpointer           data)
{
  streamer_finish (data);
}

void
sd_api_reply_stream (SdRequest    *req,
                     guint         status,
                     const char   *content_type,
                     GInputStream *stream,
                     goffset       length)
{
  SoupServerMessage *msg = req->msg;
  if (msg == NULL)
    {
      /* Only libsoup streams replies; the fast front end hands such routes over. */
      g_critical ("%s %s streams its reply without SD_ROUTE_STREAM_REPLY", req->method, req->path);
      g_input_stream_close (stream, NULL, NULL);
      return;
    }
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_set_content_type (headers, content_type, NULL);
  soup_message_headers_set_content_length (headers, length);
  sd_request_set_header (req, "X-Content-Type-Options", "nosniff");
  req->replied = TRUE;

  if (g_str_equal (soup_server_message_get_method (msg), "HEAD") || length <= 0)
    {
      g_input_stream_close (stream, NULL, NULL);
      return;
    }

  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  soup_message_body_set_accumulate (body, FALSE);

  Streamer *s = g_atomic_rc_box_new0 (Streamer);
  s->msg = g_object_ref (msg);
  s->stream = g_object_ref (stream);
  s->cancellable = g_cancellable_new ();
  s->remaining = length;
  s->wrote_headers_id = g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers), s);
  s->wrote_chunk_id = g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), s);
  s->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_finished), s);
  read_next (s);
}

SdApiRange
sd_api_parse_range (const char *header,
                    goffset     total,
                    goffset    *start,
                    goffset    *end)
{
  if (header == NULL || total <= 0)
    return SD_API_RANGE_NONE;
  while (*header == ' ')
    header++;
  if (g_ascii_strncasecmp (header, "bytes=", 6) != 0)
    return SD_API_RANGE_NONE;
  g_autofree char *spec = g_strstrip (g_strdup (header + 6));
  if (strchr (spec, ',') != NULL)
    return SD_API_RANGE_NONE;   /* several ranges: the whole file is a valid answer */
  char *dash = strchr (spec, '-');
  if (dash == NULL)
    return SD_API_RANGE_NONE;
  *dash = '\0';
  const char *first = g_strstrip (spec), *last = g_strstrip (dash + 1);
  guint64 a = 0, b = 0;

  if (*first == '\0')
    {
      /* suffix: the last N bytes */
      if (!g_ascii_string_to_unsigned (last, 10, 0, G_MAXINT64, &b, NULL))
        return SD_API_RANGE_NONE;
      if (b == 0)
        return SD_API_RANGE_UNSATISFIABLE;
      *start = b >= (guint64) total ? 0 : total - (goffset) b;
      *end = total - 1;
      return SD_API_RANGE_OK;
    }
  if (!g_ascii_string_to_unsigned (first, 10, 0, G_MAXINT64, &a, NULL))
    return SD_API_RANGE_NONE;
  if (*last == '\0')
    b = (guint64) total - 1;
  else if (!g_ascii_string_to_unsigned (last, 10, 0, G_MAXINT64, &b, NULL) || b < a)
    return SD_API_RANGE_NONE;
  if (a >= (guint64) total)
    return SD_API_RANGE_UNSATISFIABLE;
  *start = (goffset) a;
  *end = (goffset) MIN (b, (guint64) total - 1);
  return SD_API_RANGE_OK;
}
