/* test-http1-parse.c — the fast front end's request head parser
 * (signald/http/sd-http1-parse.c): what it serves, refuses and hands to
 * libsoup. */
#include "http/sd-http1-parse.h"

#include <string.h>

#define MAX_HEAD 16384

static SdHttp1ParseResult
parse (const char  *text,
       SdHttp1Head *head)
{
  return sd_http1_parse_head (text, strlen (text), MAX_HEAD, head);
}

static void
assert_slice (const char *data,
              gsize       len,
              const char *expected)
{
  g_autofree char *copy = g_strndup (data, len);
  g_assert_cmpstr (copy, ==, expected);
}

static void
assert_error (const char *text,
              guint       status)
{
  SdHttp1Head head;
  g_test_message ("refused: %s", text);
  g_assert_cmpint (parse (text, &head), ==, SD_HTTP1_PARSE_ERROR);
  g_assert_cmpuint (head.error_status, ==, status);
  g_assert_nonnull (head.error_message);
}

static void
assert_handoff (const char *text,
                guint       reason)
{
  SdHttp1Head head;
  g_test_message ("handed off: %s", text);
  g_assert_cmpint (parse (text, &head), ==, SD_HTTP1_PARSE_OK);
  g_assert_cmpuint (head.handoff & reason, ==, reason);
}

static void
test_simple (void)
{
  SdHttp1Head head;
  const char *text = "GET /groups/abc?limit=5&cursor=x HTTP/1.1\r\n"
                     "Host: example.com\r\n"
                     "Authorization:   Bearer tds_123 \t\r\n"
                     "X-Empty:\r\n"
                     "\r\n";
  g_assert_cmpint (parse (text, &head), ==, SD_HTTP1_PARSE_OK);
  g_assert_cmpuint (head.handoff, ==, 0);
  assert_slice (head.method, head.method_len, "GET");
  assert_slice (head.path, head.path_len, "/groups/abc");
  assert_slice (head.query, head.query_len, "limit=5&cursor=x");
  g_assert_cmpuint (head.version, ==, 1);
  g_assert_cmpint (head.content_length, ==, -1);
  g_assert_false (head.close);
  g_assert_cmpuint (head.head_len, ==, strlen (text));
  g_assert_cmpuint (head.n_headers, ==, 3);

  gsize len = 0;
  const char *v = sd_http1_head_get (&head, "authorization", &len);
  assert_slice (v, len, "Bearer tds_123");
  v = sd_http1_head_get (&head, "X-EMPTY", &len);
  g_assert_nonnull (v);
  g_assert_cmpuint (len, ==, 0);
  g_assert_null (sd_http1_head_get (&head, "Cookie", &len));
}

static void
test_body_and_connection (void)
{
  SdHttp1Head head;
  g_assert_cmpint (parse ("POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 42\r\n"
                          "Connection: keep-alive, Close\r\n\r\n{", &head), ==, SD_HTTP1_PARSE_OK);
  g_assert_cmpint (head.content_length, ==, 42);
  g_assert_true (head.close);
  /* The body is not the parser's business: the head ends before it. */
  g_assert_cmpuint (head.head_len, ==, strlen ("POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 42\r\n"
                                               "Connection: keep-alive, Close\r\n\r\n"));

  g_assert_cmpint (parse ("GET / HTTP/1.0\r\n\r\n", &head), ==, SD_HTTP1_PARSE_OK);
  g_assert_cmpuint (head.version, ==, 0);
  g_assert_true (head.close);   /* HTTP/1.0 closes unless asked otherwise */
  g_assert_cmpint (parse ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &head), ==, SD_HTTP1_PARSE_OK);
  g_assert_false (head.close);
  g_assert_true (head.keep_alive);

  g_assert_cmpint (parse ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", &head), ==,
                   SD_HTTP1_PARSE_OK);
  g_assert_cmpint (head.content_length, ==, 0);
}

static void
test_incomplete (void)
{
  SdHttp1Head head;
  const char *full = "GET /version HTTP/1.1\r\nHost: x\r\n\r\n";
  for (gsize n = 0; n < strlen (full); n++)
    g_assert_cmpint (sd_http1_parse_head (full, n, MAX_HEAD, &head), ==, SD_HTTP1_PARSE_INCOMPLETE);
  g_assert_cmpint (sd_http1_parse_head (full, strlen (full), MAX_HEAD, &head), ==, SD_HTTP1_PARSE_OK);
}

/* Byte by byte, the incremental search finds the end exactly once, at the
 * right place, for every kind of line end. */
static void
test_find_end (void)
{
  const char *heads[] = {
    "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET / HTTP/1.1\nHost: x\n\n",
    "GET / HTTP/1.1\r\nHost: x\n\r\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autofree char *text = g_strconcat (heads[i], "GET /next", NULL);
      gsize scan = 0, end = 0, at = 0;
      for (gsize n = 1; n <= strlen (text) && end == 0; n++)
        {
          end = sd_http1_find_head_end (text, n, &scan);
          at = n;
          g_assert_cmpuint (scan, <=, n);
        }
      g_assert_cmpuint (end, ==, strlen (heads[i]));
      g_assert_cmpuint (at, ==, strlen (heads[i]));
    }
}

static void
test_pipelined (void)
{
  const char *text = "GET /version HTTP/1.1\r\nHost: x\r\n\r\n"
                     "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                     "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n";
  const char *methods[] = { "GET", "POST", "HEAD" };
  const char *paths[] = { "/version", "/auth/login", "/health" };
  gsize pos = 0, len = strlen (text);

  for (guint i = 0; i < 3; i++)
    {
      SdHttp1Head head;
      g_assert_cmpint (sd_http1_parse_head (text + pos, len - pos, MAX_HEAD, &head), ==, SD_HTTP1_PARSE_OK);
      assert_slice (head.method, head.method_len, methods[i]);
      assert_slice (head.path, head.path_len, paths[i]);
      pos += head.head_len + (gsize) MAX (head.content_length, 0);
    }
  g_assert_cmpuint (pos, ==, len);
}

static void
test_bad_request_lines (void)
{
  assert_error ("GARBAGE\r\n\r\n", 400);
  assert_error (" GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
  assert_error ("G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
  assert_error ("GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
  assert_error ("GET /a\x01 HTTP/1.1\r\nHost: x\r\n\r\n", 400);
  assert_error ("GET /a HTTP/1.1\x7f\r\nHost: x\r\n\r\n", 400);
  assert_error ("GET / HTTP/1.1\rX\r\nHost: x\r\n\r\n", 400);
}

static void
test_bad_headers (void)
{
  /* Obsolete line folding. */
  assert_error ("GET / HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n", 400);
  assert_error ("GET / HTTP/1.1\r\nHost: x\r\nX-A: b\r\n\tc\r\n\r\n", 400);
  /* White space before the colon, no colon, empty name, bad name. */
  assert_error ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400);
  assert_error ("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400);
  assert_error ("GET / HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n", 400);
  assert_error ("GET / HTTP/1.1\r\nHost: x\r\nX(y): v\r\n\r\n", 400);
  /* Control characters in a value. */
  assert_error ("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01z\r\n\r\n", 400);
  assert_error ("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rz\r\n\r\n", 400);
  /* Request smuggling material. */
  assert_error ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400);
  assert_error ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\ncontent-length: 2\r\n\r\nx", 400);
  assert_error ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\nx", 400);
  assert_error ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\nx", 400);
  assert_error ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n", 400);
  assert_error ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1234567890123456789\r\n\r\n", 400);
  assert_error ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
  /* Host: exactly one in HTTP/1.1. */
  assert_error ("GET / HTTP/1.1\r\n\r\n", 400);
  assert_error ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
  /* Fields that may appear once. */
  assert_error ("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\n\r\n", 400);
  assert_error ("GET / HTTP/1.1\r\nHost: x\r\nContent-Type: a/b\r\nContent-Type: c/d\r\n\r\n", 400);
}

static void
test_too_large (void)
{
  SdHttp1Head head;
  g_autoptr(GString) text = g_string_new ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
  while (text->len < MAX_HEAD + 10)
    g_string_append_c (text, 'a');

  /* Incomplete but already over the limit. */
  g_assert_cmpint (sd_http1_parse_head (text->str, text->len, MAX_HEAD, &head), ==, SD_HTTP1_PARSE_ERROR);
  g_assert_cmpuint (head.error_status, ==, 431);
  /* Complete, but its end lies past the limit. */
  g_string_append (text, "\r\n\r\n");
  g_assert_cmpint (sd_http1_parse_head (text->str, text->len, MAX_HEAD, &head), ==, SD_HTTP1_PARSE_ERROR);
  g_assert_cmpuint (head.error_status, ==, 431);
  /* Just under the limit is fine. */
  g_assert_cmpint (sd_http1_parse_head (text->str, text->len, text->len, &head), ==, SD_HTTP1_PARSE_OK);

  /* Too many fields. */
  g_autoptr(GString) many = g_string_new ("GET / HTTP/1.1\r\nHost: x\r\n");
  for (guint i = 0; i < SD_HTTP1_MAX_HEADERS; i++)
    g_string_append_printf (many, "X-%u: v\r\n", i);
  g_string_append (many, "\r\n");
  g_assert_cmpint (parse (many->str, &head), ==, SD_HTTP1_PARSE_ERROR);
  g_assert_cmpuint (head.error_status, ==, 431);
}

static void
test_handoff (void)
{
  assert_handoff ("GET /version HTTP/1.1\nHost: x\n\n", SD_HTTP1_HANDOFF_LINE_ENDS);
  assert_handoff ("\r\nGET /version HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_LINE_ENDS);
  assert_handoff ("GET  /version HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_LINE_SPACES);
  assert_handoff ("GET http://x/version HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_TARGET);
  assert_handoff ("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_TARGET);
  assert_handoff ("GET /vers%69on HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_TARGET);
  assert_handoff ("GET /a/../version HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_TARGET);
  assert_handoff ("GET /a/./b HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_TARGET);
  assert_handoff ("GET /a/.. HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_TARGET);
  assert_handoff ("GET /a/.?x HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_TARGET);
  assert_handoff ("GET /a#frag HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_TARGET);
  assert_handoff ("GET /a?b#frag HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_TARGET);
  assert_handoff ("GET /\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_TARGET);
  assert_handoff ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_VERSION);
  assert_handoff ("GET / HTTP/1.2\r\nHost: x\r\n\r\n", SD_HTTP1_HANDOFF_VERSION);
  assert_handoff ("GET /\r\n\r\n", SD_HTTP1_HANDOFF_VERSION);
  assert_handoff ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", SD_HTTP1_HANDOFF_TRANSFER);
  assert_handoff ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
                  SD_HTTP1_HANDOFF_EXPECT);
  assert_handoff ("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
                  SD_HTTP1_HANDOFF_UPGRADE);
  assert_handoff ("GET /v HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\n", SD_HTTP1_HANDOFF_RANGE);

  /* Dots inside names are plain. */
  SdHttp1Head head;
  g_assert_cmpint (parse ("GET /a/b.c/.d/..e HTTP/1.1\r\nHost: x\r\n\r\n", &head), ==, SD_HTTP1_PARSE_OK);
  g_assert_cmpuint (head.handoff, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/http1-parse/simple", test_simple);
  g_test_add_func ("/http1-parse/body-and-connection", test_body_and_connection);
  g_test_add_func ("/http1-parse/incomplete", test_incomplete);
  g_test_add_func ("/http1-parse/find-end", test_find_end);
  g_test_add_func ("/http1-parse/pipelined", test_pipelined);
  g_test_add_func ("/http1-parse/bad-request-lines", test_bad_request_lines);
  g_test_add_func ("/http1-parse/bad-headers", test_bad_headers);
  g_test_add_func ("/http1-parse/too-large", test_too_large);
  g_test_add_func ("/http1-parse/handoff", test_handoff);
  return g_test_run ();
}
