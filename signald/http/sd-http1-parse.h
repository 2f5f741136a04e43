/* sd-http1-parse.h — the HTTP/1.1 request head parser of the fast front end.
 *
 * Pure: no allocation, no state between calls, no I/O.  It reads one
 * request head from the start of a buffer and describes it with pointers
 * into that buffer; the buffer is never written.
 *
 * It accepts only the plain, common shape of a request, and says so for
 * everything else, so that the front end can hand what it does not serve to
 * libsoup unchanged:
 *
 *   SD_HTTP1_PARSE_OK          a complete head in the strict grammar below;
 *                              head->handoff says why libsoup should still
 *                              serve it (0 = the front end may serve it)
 *   SD_HTTP1_PARSE_INCOMPLETE  no end of head yet, and fewer than @max_head
 *                              bytes: read more
 *   SD_HTTP1_PARSE_ERROR       the request is malformed or too large; reply
 *                              head->error_status and close
 *
 * The grammar (RFC 9112, strict):
 *   request-line = method SP origin-form SP "HTTP/1." ("0" / "1") CRLF
 *   header-line  = field-name ":" OWS field-value OWS CRLF
 * with CRLF line ends.  Refused with 400: control characters in the request
 * line, a method that is not a token, a field name that is not a token or
 * is followed by white space before the colon, control characters (other
 * than HTAB) in a value, obsolete line folding (a line starting with SP or
 * HTAB), a second Content-Length, Host, Authorization or Content-Type
 * field, a Content-Length that is not a decimal number, Content-Length
 * together with Transfer-Encoding, no Host in HTTP/1.1.  Refused with 431:
 * a head of more than @max_head bytes or more than SD_HTTP1_MAX_HEADERS
 * fields.
 *
 * Handed to libsoup (head->handoff): bare LF line ends, several spaces
 * between the parts of the request line, a request target that is not a
 * plain origin-form path (absolute-form, "*", percent escapes, dot
 * segments, "#", bytes outside printable ASCII), versions other than
 * HTTP/1.0 and HTTP/1.1, Transfer-Encoding, Expect, Upgrade and Range.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_HTTP1_MAX_HEADERS 64
/* The front end's limit on a request head (431 beyond). */
#define SD_HTTP1_MAX_HEAD    (16 * 1024)

typedef enum {
  SD_HTTP1_PARSE_OK,
  SD_HTTP1_PARSE_INCOMPLETE,
  SD_HTTP1_PARSE_ERROR,
} SdHttp1ParseResult;

/* Why a well-formed request goes to libsoup; several may be set. */
typedef enum {
  SD_HTTP1_HANDOFF_LINE_ENDS   = 1 << 0,  /* bare LF */
  SD_HTTP1_HANDOFF_LINE_SPACES = 1 << 1,  /* several spaces in the request line */
  SD_HTTP1_HANDOFF_TARGET      = 1 << 2,  /* not a plain origin-form path */
  SD_HTTP1_HANDOFF_VERSION     = 1 << 3,  /* not HTTP/1.0 or HTTP/1.1 */
  SD_HTTP1_HANDOFF_TRANSFER    = 1 << 4,  /* Transfer-Encoding (chunked bodies) */
  SD_HTTP1_HANDOFF_EXPECT      = 1 << 5,  /* Expect: 100-continue */
  SD_HTTP1_HANDOFF_UPGRADE     = 1 << 6,  /* Upgrade (WebSocket) */
  SD_HTTP1_HANDOFF_RANGE       = 1 << 7,  /* Range: libsoup answers 206 by itself */
} SdHttp1Handoff;

typedef struct {
  const char *name;
  gsize name_len;
  const char *value;           /* without leading and trailing white space */
  gsize value_len;
} SdHttp1Header;

typedef struct {
  const char *method;
  gsize method_len;
  const char *path;            /* starts with '/' when handoff lacks _TARGET */
  gsize path_len;
  const char *query;           /* after '?', or NULL when the target has none */
  gsize query_len;
  guint version;               /* minor version: 0 or 1 (valid without _VERSION) */
  gint64 content_length;       /* -1 when absent */
  gboolean close;              /* Connection: close, or HTTP/1.0 without keep-alive */
  gboolean keep_alive;         /* Connection: keep-alive */
  guint handoff;               /* SdHttp1Handoff flags */
  gsize head_len;              /* bytes up to and including the empty line */
  guint n_headers;
  SdHttp1Header headers[SD_HTTP1_MAX_HEADERS];
  guint error_status;          /* 400 or 431 on SD_HTTP1_PARSE_ERROR */
  const char *error_message;   /* a static English sentence */
} SdHttp1Head;

/* Parses the head at the start of @buf (@len bytes, NUL not needed).  A
 * head longer than @max_head bytes is an error (431), as is an incomplete
 * one once @len reaches @max_head.  Never fails otherwise. */
SdHttp1ParseResult sd_http1_parse_head     (const char  *buf,
                                            gsize        len,
                                            gsize        max_head,
                                            SdHttp1Head *head);

/* Where the head of the request at the start of @buf ends: the offset just
 * past its empty line (CRLF CRLF, or the bare LF forms), or 0 when it is
 * not in the first @len bytes.  Searching resumes at *@scan (updated), so
 * a head that arrives byte by byte costs linear time overall; start with
 * *@scan = 0 for each request. */
gsize              sd_http1_find_head_end  (const char  *buf,
                                            gsize        len,
                                            gsize       *scan);

/* The value of the first field named @name (ASCII case-insensitive), or
 * NULL; *@len gets its length. */
const char        *sd_http1_head_get       (const SdHttp1Head *head,
                                            const char        *name,
                                            gsize             *len);

G_END_DECLS
