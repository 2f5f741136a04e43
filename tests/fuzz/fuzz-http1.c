/* fuzz-http1.c — libFuzzer target for the fast front end's request head
 * parser (signald/http/sd-http1-parse.c).
 *
 * The input is what a client sends on a connection: one or more requests.
 * For each input the target
 *   - finds the end of the first head incrementally, one byte more at a
 *     time, as the front end does when bytes trickle in, and checks that
 *     it is found as soon as its last byte is there and agrees with one
 *     search over the whole input;
 *   - parses the heads one after another as the front end walks a
 *     pipelined buffer (head, then Content-Length bytes of body), with the
 *     real limit and with a small one, and checks every result: an error
 *     has a 400 or 431 status and a message; an incomplete head has no
 *     end in reach; a complete one lies inside the buffer and the limit,
 *     every slice (method, path, query, names, values) lies inside the
 *     head, names are tokens, values have no line breaks and no white
 *     space at either end, and a head the front end would serve (no
 *     hand-off reason) has a method, a path starting with '/', version
 *     1.0 or 1.1 and a Host in 1.1;
 *   - looks every header name up again with sd_http1_head_get().
 *
 * Nothing may crash or trip a sanitizer; a failed check aborts.  Built as
 * a libFuzzer binary with -Dfuzzing=true (clang), and replayed over the
 * committed corpus (corpus/http1) by replay.c otherwise.
 */
#include "fuzz.h"

#include "http/sd-http1-parse.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) do { if (!(cond)) { g_printerr ("check failed: %s\n", #cond); abort (); } } while (0)

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  return 0;
}

static gboolean
inside (const char *buf,
        gsize       len,
        const char *p,
        gsize       n)
{
  return p >= buf && (gsize) (p - buf) <= len && n <= len - (gsize) (p - buf);
}

static gboolean
is_token (const char *s,
          gsize       n)
{
  if (n == 0)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (s[i]) && strchr ("!#$%&'*+-.^_`|~", s[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
check_head (const char        *buf,
            gsize              len,
            gsize              max,
            SdHttp1ParseResult r,
            const SdHttp1Head *h)
{
  gsize scan = 0;
  gsize end = sd_http1_find_head_end (buf, MIN (len, max), &scan);

  if (r == SD_HTTP1_PARSE_ERROR)
    {
      CHECK (h->error_status == 400 || h->error_status == 431);
      CHECK (h->error_message != NULL);
      if (h->error_status == 431 && end == 0)
        CHECK (len >= max);
      return;
    }
  if (r == SD_HTTP1_PARSE_INCOMPLETE)
    {
      CHECK (end == 0 && len < max);
      return;
    }
  CHECK (r == SD_HTTP1_PARSE_OK);
  CHECK (h->head_len == end && end > 0 && end <= len && end <= max);
  if (h->method == NULL)
    {
      /* A leading empty line: handed over before anything else is read. */
      CHECK (h->handoff & SD_HTTP1_HANDOFF_LINE_ENDS);
      return;
    }

  CHECK (inside (buf, h->head_len, h->method, h->method_len));
  CHECK (is_token (h->method, h->method_len));
  CHECK (inside (buf, h->head_len, h->path, h->path_len));
  if (h->query != NULL)
    CHECK (inside (buf, h->head_len, h->query, h->query_len));
  CHECK (h->content_length >= -1);
  CHECK (h->n_headers <= SD_HTTP1_MAX_HEADERS);
  for (guint i = 0; i < h->n_headers; i++)
    {
      const SdHttp1Header *f = &h->headers[i];
      CHECK (inside (buf, h->head_len, f->name, f->name_len));
      CHECK (inside (buf, h->head_len, f->value, f->value_len));
      CHECK (is_token (f->name, f->name_len));
      CHECK (memchr (f->value, '\n', f->value_len) == NULL && memchr (f->value, '\r', f->value_len) == NULL);
      if (f->value_len > 0)
        {
          CHECK (f->value[0] != ' ' && f->value[0] != '\t');
          CHECK (f->value[f->value_len - 1] != ' ' && f->value[f->value_len - 1] != '\t');
        }
      g_autofree char *name = g_strndup (f->name, f->name_len);
      gsize vlen = 0;
      CHECK (sd_http1_head_get (h, name, &vlen) != NULL);
    }
  if (h->handoff == 0)
    {
      CHECK (h->path_len > 0 && h->path[0] == '/');
      CHECK (h->version == 0 || h->version == 1);
      for (gsize i = 0; i < h->path_len; i++)
        CHECK (h->path[i] != '%' && h->path[i] != '?' && h->path[i] != '#' && (guint8) h->path[i] > 0x20);
      if (h->version == 1)
        {
          gsize vlen = 0;
          CHECK (sd_http1_head_get (h, "host", &vlen) != NULL);
        }
    }
}

/* Walks the pipelined requests of @buf as the front end does. */
static void
walk (const char *buf,
      gsize       len,
      gsize       max)
{
  gsize pos = 0;
  for (guint n = 0; n < 64 && pos < len; n++)
    {
      SdHttp1Head head;
      SdHttp1ParseResult r = sd_http1_parse_head (buf + pos, len - pos, max, &head);
      check_head (buf + pos, len - pos, max, r, &head);
      if (r != SD_HTTP1_PARSE_OK || head.handoff != 0)
        return;
      gsize body = (gsize) MAX (head.content_length, 0);
      if (body > len - pos - head.head_len)
        return;
      pos += head.head_len + body;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *buf = (const char *) data;

  /* Byte by byte, the incremental search agrees with a whole search. */
  gsize scan = 0, whole_scan = 0, found = 0;
  gsize whole = sd_http1_find_head_end (buf, size, &whole_scan);
  for (gsize n = 0; n <= size && found == 0; n++)
    {
      found = sd_http1_find_head_end (buf, n, &scan);
      CHECK (scan <= n);
      if (found != 0)
        CHECK (found == n);   /* seen as soon as its last byte came */
    }
  CHECK (found == whole);

  walk (buf, size, SD_HTTP1_MAX_HEAD);
  walk (buf, size, 64);
  return 0;
}
