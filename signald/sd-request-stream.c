/* sd-request-stream.c — request bodies that are never held in memory
 * (SD_ROUTE_STREAM_BODY routes such as tus PATCH, whose bodies can be
 * gigabytes).
 *
 * The early handler (headers read, body not yet) calls
 * sd_request_stream_begin(): it turns off libsoup's body accumulation,
 * makes the SdRequest at once, routes and authenticates it and runs the
 * route's stream_begin hook.  From then on libsoup hands each piece of the
 * body to "got-chunk", which goes to the stream_chunk hook.  When the body
 * is complete the request handler takes the same SdRequest back
 * (sd_request_stream_take) and dispatches it to the route's handler as
 * usual.  When the connection ends first, "finished" fires without the
 * handler having run: the stream_abort hook keeps what can be kept and the
 * request is finished here.
 *
 * All of it runs on the worker thread that owns the connection. */
#define G_LOG_DOMAIN "sd-request"

#include "sd-server-private.h"

static GQuark
stream_quark (void)
{
  static GQuark quark;
  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("sd-stream-request");
  return quark;
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  SdRequest *req = user_data;
  GError *error = NULL;

  if (req->stream_error != NULL)
    return;
  if (!req->route->hooks->stream_chunk (req, chunk, &error))
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "storing the body failed");
      req->stream_error = error;
    }
}

static void
on_finished (SoupServerMessage *msg,
             gpointer           user_data)
{
  SdRequest *req = sd_request_stream_take (msg);
  if (req == NULL)
    return;
  if (req->stream_error == NULL && req->route->hooks->stream_abort != NULL)
    req->route->hooks->stream_abort (req);
  sd_request_finish (req);
}

void
sd_request_stream_begin (SdWorker          *worker,
                         SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  SdRequest *req = sd_request_new (worker, msg);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  if (!sd_request_route (req, &error))
    goto refuse;
  /* The early handler matched a streaming route; the same path and method
   * cannot match another one now. */
  g_assert (req->route->flags & SD_ROUTE_STREAM_BODY);
  g_assert (req->route->hooks != NULL && req->route->hooks->stream_begin != NULL &&
            req->route->hooks->stream_chunk != NULL);
  if (!req->route->hooks->stream_begin (req, &error))
    goto refuse;

  g_object_set_qdata (G_OBJECT (msg), stream_quark (), req);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), req);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), req);
  return;

refuse:
  if (error == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "the request was refused without a reason");
  /* A status set now makes libsoup skip the handler and answer after the
   * body (or at once to "Expect: 100-continue"). */
  sd_request_reply_error (req, error);
  sd_request_finish (req);
}

SdRequest *
sd_request_stream_take (SoupServerMessage *msg)
{
  SdRequest *req = g_object_steal_qdata (G_OBJECT (msg), stream_quark ());
  if (req != NULL)
    g_signal_handlers_disconnect_by_data (msg, req);
  return req;
}
