/* sd-http1-reply.h — a response of the fast front end: what a handler sets
 * (status, headers, body) and how it becomes bytes.
 *
 * A reply is kept by its connection and reused from request to request, so
 * that the hot path allocates nothing: headers are collected as ready
 * "Name: value\r\n" lines in a reused GString, and the body is a pointer
 * with an optional owner.  sd_http1_reply_write() appends the whole
 * response to the connection's output buffer, which goes out in one send.
 *
 * The bytes match what libsoup writes for the same handler calls: status
 * line with libsoup's reason phrases, Server, Date, the handler's headers
 * in the order set (a replaced header moves to the end, as with
 * soup_message_headers_replace), Content-Type, Content-Length (not for 204
 * and 1xx), and no body for HEAD, 204, 304 and 1xx.  Differences: Server is
 * "signald" alone, and a connection that closes after the response says
 * "Connection: close".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint status;                /* 0 until a handler replies */
  GString *headers;            /* "Name: value\r\n" lines */
  GString *content_type;       /* empty for none */
  gconstpointer body;
  gsize body_len;
  gpointer body_owner;         /* freed with body_free on reset */
  GDestroyNotify body_free;
} SdHttp1Reply;

/* Once per second, the Date header's value; one per worker thread. */
typedef struct {
  gint64 second;
  char text[32];               /* "Sun, 06 Nov 1994 08:49:37 GMT" */
} SdHttp1Date;

void        sd_http1_reply_init         (SdHttp1Reply *reply);
/* Frees the body and forgets status and headers (keeps the buffers). */
void        sd_http1_reply_reset        (SdHttp1Reply *reply);
void        sd_http1_reply_clear        (SdHttp1Reply *reply);

/* Replaces every header named @name (ASCII case-insensitive) with one line
 * at the end.  Content-Type goes to sd_http1_reply_set_content_type();
 * Content-Length is computed, and setting it is ignored.  Values with CR
 * or LF are refused (g_critical), so no handler can split a response. */
void        sd_http1_reply_set_header   (SdHttp1Reply *reply,
                                         const char   *name,
                                         const char   *value);
void        sd_http1_reply_set_content_type (SdHttp1Reply *reply,
                                         const char   *content_type);
/* Takes @owner (freed with @free_func, which may be NULL for static
 * data); @data/@len is the body. */
void        sd_http1_reply_set_body     (SdHttp1Reply  *reply,
                                         gconstpointer  data,
                                         gsize          len,
                                         gpointer       owner,
                                         GDestroyNotify free_func);

/* The current Date value (refreshed when the second changed). */
const char *sd_http1_date_now           (SdHttp1Date  *date);

typedef enum {
  SD_HTTP1_WRITE_HEAD       = 1 << 0,  /* HEAD request: no body */
  SD_HTTP1_WRITE_HTTP10     = 1 << 1,  /* the request was HTTP/1.0 */
  SD_HTTP1_WRITE_CLOSE      = 1 << 2,  /* the connection closes after this */
  SD_HTTP1_WRITE_KEEP_ALIVE = 1 << 3,  /* HTTP/1.0 keep-alive: say so */
} SdHttp1WriteFlags;

/* Appends the whole response to @out.  A status of 0 is written as 500. */
void        sd_http1_reply_write        (SdHttp1Reply      *reply,
                                         SdHttp1WriteFlags  flags,
                                         SdHttp1Date       *date,
                                         GString           *out);

/* A complete JSON error response in the API's format
 * ({"error":{"code","message"}}), for what the front end refuses before a
 * handler runs (400, 408, 413, 431); appended to @out.  @message is
 * escaped. */
void        sd_http1_write_error        (GString           *out,
                                         guint              status,
                                         const char        *code,
                                         const char        *message,
                                         SdHttp1WriteFlags  flags,
                                         SdHttp1Date       *date);

G_END_DECLS
